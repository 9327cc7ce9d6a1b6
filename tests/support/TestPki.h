#pragma once
// Certificates made on the spot with OpenSSL, for the TLS tests and flywheel-bench:
// a CA and a leaf certificate for localhost and 127.0.0.1 that it signed.

#include <string>

namespace flywheel::test {

/// A CA and a leaf certificate it signed (for localhost and 127.0.0.1, usable by
/// a server and a client), as PEM text.
struct Pki {
    std::string caCert;
    std::string leafCert;
    std::string leafKey;
};

/// A new CA named `caName` and a leaf; `serial` and `serial + 1` are their serial numbers.
Pki makePki(const char *caName, long serial);

} // namespace flywheel::test
