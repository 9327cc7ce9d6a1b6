#include "payments/sandbox/Sandbox.h"

#include "payments/sandbox/AlipaySandbox.h"
#include "payments/sandbox/BtcpaySandbox.h"
#include "payments/sandbox/WeChatSandbox.h"

#include <stdexcept>

namespace flywheel::payments::sandbox {

std::unique_ptr<Sandbox> startSandbox(const std::string &provider, const Clock &clock)
{
    try {
        if (provider == "wechatpay")
            return std::make_unique<WeChatSandbox>(clock);
        if (provider == "alipay")
            return std::make_unique<AlipaySandbox>(clock);
        if (provider == "btcpay") {
            auto sandbox = std::make_unique<BtcpaySandbox>(clock);
            if (!sandbox->running())
                return nullptr;
            return sandbox;
        }
    } catch (const std::runtime_error &) {
        return nullptr; // it could not listen
    }
    return nullptr;
}

} // namespace flywheel::payments::sandbox
