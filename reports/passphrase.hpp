#pragma once
// Passphrases of encrypted private keys: from a file (its first line) or typed at the terminal.

#include <reports/secret.hpp>

#include <cstddef>
#include <string>

namespace suanli::reports {

/// Where a passphrase comes from; both empty: there is none.
struct passphrase_source {
  std::string file;                     ///< read the first line of this file (empty: no file)
  bool prompt = false;                  ///< ask on /dev/tty with echo off
  std::string option_prefix = "--key-"; ///< how the command spells its options, for messages
  /// True when a file or the prompt was chosen.
  [[nodiscard]] bool given() const noexcept { return !file.empty() || prompt; }
  /// "--key-passphrase-file FILE or --key-passphrase-prompt", with this source's prefix.
  [[nodiscard]] std::string options_text() const;
};

/// Longest passphrase accepted, in bytes (OpenSSL's PEM_BUFSIZE, also the `openssl` tool's).
inline constexpr std::size_t max_passphrase_bytes = 1023;

/// The first line of a passphrase file, its '\n' stripped (as `openssl -passin file:` reads it).
/// The file must pass read_secret_file's checks. Empty or over-long passphrases are refused
/// (exit 2, one line that never holds the passphrase).
void read_passphrase_file(const std::string &path, secret_string &out);

/// Asks for a passphrase on /dev/tty with echo off; `prompt` is shown first. Exit 2 when there is
/// no terminal (naming `options_hint`, the options to use instead), when nothing was entered,
/// or when the entry is over-long. Echo is restored on return, on errors and on SIGINT, SIGTERM,
/// SIGHUP and SIGQUIT (the signal is then re-raised).
void prompt_passphrase(const std::string &prompt, const std::string &options_hint,
                       secret_string &out);

/// The passphrase of an existing key: from the file, else asked once on the terminal.
/// `key_name` names the key in the prompt. Precondition: source.given().
void obtain_passphrase(const passphrase_source &source, const std::string &key_name,
                       secret_string &out);

/// A passphrase for a new key: from the file, else asked twice on the terminal; exit 2 when the
/// two entries differ. Precondition: source.given().
void obtain_new_passphrase(const passphrase_source &source, const std::string &key_name,
                           secret_string &out);

} // namespace suanli::reports
