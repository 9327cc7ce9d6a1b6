#include "services/OutboxSender.h"

#include "flywheel/v1/segments.pb.h"
#include "services/Convert.h"

#include <google/protobuf/util/json_util.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace flywheel {

OutboxSender::OutboxSender(std::string path) : m_path(std::move(path))
{
    if (const auto error = open())
        throw std::runtime_error(*error);
}

OutboxSender::~OutboxSender()
{
    if (m_file)
        std::fclose(m_file);
}

std::optional<std::string> OutboxSender::open()
{
    if (m_file)
        return std::nullopt;
    m_file = std::fopen(m_path.c_str(), "a");
    if (!m_file)
        return "the reach outbox " + m_path + " cannot be opened for appending: " + std::strerror(errno);
    return std::nullopt;
}

std::optional<std::string> OutboxSender::send(const segments::OutgoingMessage &message)
{
    if (auto error = open())
        return error;
    v1::OutboxMessage out;
    out.set_uid(message.uid);
    out.set_segment_id(message.segmentId);
    out.set_channel(convert::toProto(message.channel));
    convert::toProto(message.decidedAt, out.mutable_decided_at());
    out.set_segment_set_version(message.setVersion);
    google::protobuf::util::JsonPrintOptions options;
    options.preserve_proto_field_names = true;
    std::string line;
    if (const auto status = google::protobuf::util::MessageToJsonString(out, &line, options); !status.ok())
        return "the message could not be encoded: " + std::string(status.message());
    line += '\n';
    if (std::fwrite(line.data(), 1, line.size(), m_file) != line.size())
        return "writing to the reach outbox " + m_path + " failed: " + std::strerror(errno);
    return std::nullopt;
}

std::optional<std::string> OutboxSender::finishBatch()
{
    if (!m_file)
        return std::nullopt;
    const bool ok = std::fflush(m_file) == 0;
    const int error = errno;
    // Closed after every batch so that a rotated file is followed.
    std::fclose(m_file);
    m_file = nullptr;
    if (!ok)
        return "writing to the reach outbox " + m_path + " failed: " + std::strerror(error);
    return std::nullopt;
}

} // namespace flywheel
