#pragma once

#include <sys/types.h>

#include <filesystem>
#include <string>
#include <string_view>

namespace suanli::reports {

/// What write_file_atomic does when the target already exists.
enum class overwrite_policy {
  replace,        ///< atomically replace the existing file (rename over it)
  refuse_existing ///< never touch an existing file: throws bench::error (exit 2)
};

/// Writes `bytes` to `path` so that readers see either the old file or the complete new one:
/// a temporary file in the same folder (O_CREAT|O_EXCL, exactly `mode`, e.g. 0600 for private
/// keys, 0644 otherwise), fsync, then rename over the target (or link, for refuse_existing), and
/// fsync of the folder. A symbolic link at `path` is replaced itself, never written through.
/// On any failure the temporary file is removed and bench::error is thrown: exit 3 for I/O
/// failures (message names the path and strerror), exit 2 when `path` is a folder or when
/// refuse_existing finds the target present (a dangling symbolic link counts as present).
void write_file_atomic(const std::filesystem::path &path, std::string_view bytes,
                       mode_t mode = 0644, overwrite_policy policy = overwrite_policy::replace);

/// The whole contents of a file; `what` names it for the message ("report", "public key").
/// Throws bench::error (exit 2) "cannot read <what> <path>: <strerror>".
[[nodiscard]] std::string read_file(const std::filesystem::path &path, std::string_view what);

/// Reads everything from an open file descriptor (the caller keeps ownership of `fd`); errors
/// throw bench::error (exit 2) "cannot read <what> <path>: <strerror>".
[[nodiscard]] std::string read_all(int fd, const std::filesystem::path &path,
                                   std::string_view what);

} // namespace suanli::reports
