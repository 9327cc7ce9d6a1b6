#include "segments/Senders.h"

namespace flywheel::segments {

MessageSender *Senders::forChannel(Channel channel) const
{
    switch (channel) {
    case Channel::Push:
        return push.get();
    case Channel::Sms:
        return sms.get();
    case Channel::InApp:
        return inApp.get();
    }
    return nullptr;
}

} // namespace flywheel::segments
