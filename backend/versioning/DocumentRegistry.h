#pragma once

#include "versioning/Document.h"

#include <map>
#include <string>
#include <vector>

namespace flywheel::versioning {

/// The versioned documents of one backend, by area: what the AuditService lists
/// current versions of and restores. Filled at start, read-only afterwards.
class DocumentRegistry final {
public:
    /// Adds `document`, which must outlive the registry; a second document of the
    /// same area is a programming error (std::logic_error).
    void add(Document &document);
    /// nullptr for an area without versions.
    Document *find(const std::string &area) const;
    /// By area name.
    std::vector<Document *> all() const;
    /// "pricing, referral or segments", for messages.
    std::string areaNames() const;

private:
    std::map<std::string, Document *> m_documents;
};

} // namespace flywheel::versioning
