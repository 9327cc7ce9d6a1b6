#pragma once

#include "segments/Senders.h"

#include <cstdio>
#include <optional>
#include <string>

namespace flywheel {

/// Appends each message as one JSON object per line (v1.OutboxMessage in the
/// protobuf JSON mapping) to a file that the operator's own push, SMS and in-app
/// dispatchers consume. The file is opened for appending on every batch, so it can
/// be rotated (moved away) at any time.
class OutboxSender final : public segments::MessageSender {
public:
    /// Throws std::runtime_error naming the path when the file cannot be opened.
    explicit OutboxSender(std::string path);
    ~OutboxSender() override;
    std::string describe() const override { return "outbox " + m_path; }
    std::optional<std::string> send(const segments::OutgoingMessage &message) override;
    std::optional<std::string> finishBatch() override;

private:
    std::optional<std::string> open();

    std::string m_path;
    std::FILE *m_file = nullptr;
};

} // namespace flywheel
