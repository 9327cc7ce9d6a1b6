#pragma once

#include "domain/Clock.h"
#include "domain/segments/SegmentSet.h"

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

namespace flywheel::segments {

/// One message a reach decision sends.
struct OutgoingMessage {
    std::int64_t uid = 0;
    std::string segmentId;
    Channel channel = Channel::Push;
    TimePoint decidedAt;
    std::int64_t setVersion = 0;
};

/// Hands messages to a channel's delivery system (a push service, an SMS gateway,
/// the in-app inbox). Called from the segment flusher thread only. The file outbox
/// (services/OutboxSender.h) writes the wire format, so it lives with the services.
class MessageSender {
public:
    virtual ~MessageSender() = default;
    /// Shown in logs and the docs: "simulated", "outbox /var/lib/flywheel/outbox.jsonl".
    virtual std::string describe() const = 0;
    /// std::nullopt when the message was handed over, otherwise why it was not.
    virtual std::optional<std::string> send(const OutgoingMessage &message) = 0;
    /// After a batch: make what was handed over durable (flush a file, ...).
    virtual std::optional<std::string> finishBatch() { return std::nullopt; }
};

/// Demo mode and flywheeld without --reach-outbox: accepts every message and sends
/// nothing anywhere. The messages are still recorded, so caps and the reach chart
/// behave as in production.
class SimulatedSender final : public MessageSender {
public:
    std::string describe() const override { return "simulated"; }
    std::optional<std::string> send(const OutgoingMessage &) override { return std::nullopt; }
};

/// The senders a backend uses: one per channel, or one for all.
struct Senders {
    std::shared_ptr<MessageSender> push;
    std::shared_ptr<MessageSender> sms;
    std::shared_ptr<MessageSender> inApp;

    static Senders all(const std::shared_ptr<MessageSender> &sender) { return Senders{sender, sender, sender}; }
    MessageSender *forChannel(Channel channel) const;
};

} // namespace flywheel::segments
