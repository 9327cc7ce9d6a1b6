#pragma once

#include <string>
#include <utility>
#include <variant>

namespace flywheel {

/// Why a domain operation refused its input. Services map these to gRPC status codes.
enum class ErrorCode {
    InvalidArgument,
    NotFound,
    FailedPrecondition,
    /// A concurrent change won (an edit based on a version that is no longer current).
    Aborted,
    ResourceExhausted,
    /// A credential (an invite token) that is not valid.
    Unauthenticated,
    Unavailable,
    Internal
};

struct Error {
    ErrorCode code;
    std::string message;
};

/// A value or the Error that prevented it.
template <typename T>
class Result final {
public:
    Result(T value) : m_state(std::move(value)) {}
    Result(Error error) : m_state(std::move(error)) {}

    bool ok() const { return std::holds_alternative<T>(m_state); }
    const T &value() const & { return std::get<T>(m_state); }
    T &&value() && { return std::get<T>(std::move(m_state)); }
    const Error &error() const { return std::get<Error>(m_state); }

private:
    std::variant<T, Error> m_state;
};

} // namespace flywheel
