#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace suanli::bench {

/// SHA-256 of a byte string, lower-case hex.
[[nodiscard]] std::string sha256_hex(std::string_view data);

/// SHA-256 of a file's contents, lower-case hex; throws bench::error (exit 3) if unreadable.
[[nodiscard]] std::string sha256_file_hex(const std::filesystem::path &path);

} // namespace suanli::bench
