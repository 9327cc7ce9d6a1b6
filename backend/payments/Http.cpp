#include "payments/Http.h"

#include <algorithm>
#include <cctype>

namespace flywheel::payments {

bool HeaderLess::operator()(const std::string &a, const std::string &b) const
{
    return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end(), [](unsigned char x, unsigned char y) {
        return std::tolower(x) < std::tolower(y);
    });
}

} // namespace flywheel::payments
