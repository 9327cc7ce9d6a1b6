#include "payments/sandbox/Sandbox.h"

#include "payments/sandbox/BtcpaySandbox.h"
#include "payments/sandbox/WeChatSandbox.h"

namespace flywheel::payments::sandbox {

std::unique_ptr<Sandbox> startSandbox(const std::string &provider, const Clock &clock)
{
    if (provider == "wechatpay")
        return std::make_unique<WeChatSandbox>(clock);
    if (provider == "btcpay") {
        auto sandbox = std::make_unique<BtcpaySandbox>(clock);
        if (!sandbox->running())
            return nullptr;
        return sandbox;
    }
    return nullptr;
}

} // namespace flywheel::payments::sandbox
