#include "payments/sandbox/AlipaySandbox.h"
#include "payments/sandbox/Sandbox.h"

#include <stdexcept>

namespace flywheel::payments::sandbox {

std::unique_ptr<Sandbox> startSandbox(const std::string &provider, const Clock &clock)
{
    try {
        if (provider == "alipay")
            return std::make_unique<AlipaySandbox>(clock);
    } catch (const std::runtime_error &) {
        return nullptr; // could not listen
    }
    return nullptr;
}

} // namespace flywheel::payments::sandbox
