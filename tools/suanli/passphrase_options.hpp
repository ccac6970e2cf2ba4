#pragma once
// The passphrase options every command that reads or writes a private key shares.

#include <reports/passphrase.hpp>

#include <CLI/CLI.hpp>

namespace suanli::tools {

/// Adds `<prefix>passphrase-file FILE` and `<prefix>passphrase-prompt` (mutually exclusive) to
/// `cmd`, bound to `source` (whose option_prefix is set to `prefix`). Commands that load a key
/// use the prefix "--key-" and pass their --key option as `key_option`: the passphrase options
/// then need it. `keygen` uses the prefix "--" and no key option.
void add_passphrase_options(CLI::App &cmd, reports::passphrase_source &source,
                            const std::string &prefix, CLI::Option *key_option = nullptr);

} // namespace suanli::tools
