#include "versioning/DocumentRegistry.h"

#include <stdexcept>

namespace flywheel::versioning {

void DocumentRegistry::add(Document &document)
{
    if (!m_documents.emplace(document.area(), &document).second)
        throw std::logic_error("two versioned documents of area \"" + document.area() + "\"");
}

Document *DocumentRegistry::find(const std::string &area) const
{
    const auto it = m_documents.find(area);
    return it == m_documents.end() ? nullptr : it->second;
}

std::vector<Document *> DocumentRegistry::all() const
{
    std::vector<Document *> documents;
    for (const auto &[area, document] : m_documents)
        documents.push_back(document);
    return documents;
}

std::string DocumentRegistry::areaNames() const
{
    std::string names;
    std::size_t i = 0;
    for (const auto &[area, document] : m_documents) {
        if (i > 0)
            names += i + 1 == m_documents.size() ? " or " : ", ";
        names += area;
        ++i;
    }
    return names;
}

} // namespace flywheel::versioning
