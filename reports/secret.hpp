#pragma once
// Secret material in memory (wiped with OPENSSL_cleanse) and secret files on disk (private keys,
// passphrase files: regular files, no symbolic links, not accessible to group or others).

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>

namespace suanli::reports {

/// Bytes of secret material (a private key PEM, a passphrase), wiped when they go away.
/// Not copyable; reserve capacity before filling it so that no stale copy is left behind by a
/// reallocation.
struct secret_string {
  std::string bytes; ///< the secret itself
  /// An empty secret.
  secret_string() = default;
  secret_string(const secret_string &) = delete;
  secret_string &operator=(const secret_string &) = delete;
  /// Wipes the bytes (the whole capacity) with OPENSSL_cleanse.
  ~secret_string();
  /// Wipes and empties the secret (the capacity is kept).
  void wipe() noexcept;
};

/// The most bytes read_secret_file accepts: a key or passphrase file is far smaller.
inline constexpr std::size_t max_secret_file_bytes = 64 * 1024;

/// Reads a secret file into `out` after checking it is a regular file, not a symbolic link, not
/// accessible to group or others, and at most max_secret_file_bytes long. `what` names it in
/// messages ("private key", "passphrase file"). Throws bench::error (exit 2) with one line:
/// "cannot read <what> <path>: <strerror>", "<what> <path> is a symbolic link; ...",
/// "<what> <path> has mode 0644; it must not be readable by group or others (chmod 600 <path>)".
/// The message never holds the file's content.
void read_secret_file(const std::filesystem::path &path, std::string_view what, secret_string &out);

} // namespace suanli::reports
