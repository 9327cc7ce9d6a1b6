#include "payments/AlipayAdapter.h"
#include "payments/PaymentAdapter.h"

namespace flywheel::payments {

Result<std::unique_ptr<PaymentAdapter>> makeAdapter(const std::string &provider, const AdapterSettings &settings,
                                                    HttpClient &http, const Clock &clock)
{
    if (provider == "alipay") {
        auto adapter = AlipayAdapter::make(settings, http, clock);
        if (!adapter.ok())
            return adapter.error();
        return std::unique_ptr<PaymentAdapter>(std::move(adapter).value());
    }
    return Error{ErrorCode::InvalidArgument, "unknown provider \"" + provider + "\""};
}

} // namespace flywheel::payments
