#pragma once
// Private to the inventory (bench/inventory*.cpp): reading small kernel files that may be absent.
// Nothing here throws on a missing or malformed file; it returns nullopt or an empty result.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace suanli::bench::inventory_detail {

/// Whole file as text, or nullopt when it cannot be read.
[[nodiscard]] std::optional<std::string> read_text(const std::string &path);
/// First line of a file without surrounding blanks, or nullopt when unreadable or empty.
[[nodiscard]] std::optional<std::string> read_line(const std::string &path);
/// A file holding one decimal integer, or nullopt.
[[nodiscard]] std::optional<int64_t> read_int(const std::string &path);

/// text without leading and trailing blanks (spaces, tabs, newlines).
[[nodiscard]] std::string trim(std::string_view text);
/// A whole string as a decimal (base 10) or hex ("0x..", base 16) integer, or nullopt.
[[nodiscard]] std::optional<int64_t> parse_int(std::string_view text, int base = 10);
/// "key<sep>value" lines as a map, first occurrence wins; with first_block, stops at the first
/// blank line (the first processor of /proc/cpuinfo).
[[nodiscard]] std::map<std::string, std::string> key_values(std::string_view text, char sep,
                                                            bool first_block);
/// The blocks of /proc/cpuinfo (one per processor), each as key_values.
[[nodiscard]] std::vector<std::map<std::string, std::string>> cpuinfo_blocks(std::string_view text);
/// A kernel CPU list such as "0-3,8,10-11" as the CPU numbers it names (empty when malformed).
[[nodiscard]] std::vector<int> parse_cpu_list(std::string_view text);
/// A sysfs cache size such as "32K", "1024K", "32M" in bytes, or nullopt.
[[nodiscard]] std::optional<int64_t> parse_size(std::string_view text);

} // namespace suanli::bench::inventory_detail
