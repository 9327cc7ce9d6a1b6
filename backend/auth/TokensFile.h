#pragma once

#include "common/YamlError.h"
#include "domain/auth/TokenRegistry.h"

#include <stdexcept>
#include <string>
#include <variant>

namespace flywheel::auth {

/// Why a tokens file could not be read or written; the message names the file and,
/// for a bad document, the line and column.
class TokensFileError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// The tokens file (YAML), the one place tokens live:
///
///     tokens:
///       - name: console-alice
///         role: operator          # storefront, viewer, operator or admin
///         sha256: 3f5a...         # SHA-256 of the token, never the token
///         created: 2026-12-07T09:30:00Z
///         expires: 2027-03-07T09:30:00Z   # optional
///         revoked: 2027-01-02T10:00:00Z   # optional; set by `flywheeld token revoke`
class TokensFile {
public:
    /// Reads a document; `file` names it in errors. An empty document holds no tokens.
    static std::variant<TokenRegistry, common::YamlError> parse(const std::string &text, const std::string &file);
    static std::string serialize(const TokenRegistry &registry);

    /// Reads the file at `path`; throws TokensFileError. With `missingIsEmpty` a file
    /// that does not exist holds no tokens (for `flywheeld token create`).
    static TokenRegistry load(const std::string &path, bool missingIsEmpty = false);
    /// Replaces the file at `path` at once (a temporary file renamed over it), mode
    /// 0600; throws TokensFileError.
    static void save(const std::string &path, const TokenRegistry &registry);
};

} // namespace flywheel::auth
