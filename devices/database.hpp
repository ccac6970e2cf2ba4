#pragma once
// The rated-peak device database: loading and validating suites/devices/*.toml (schema:
// suites/devices/README.md).

#include <devices/entry.hpp>

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace suanli::devices {

/// Every entry of the database files, validated.
struct database {
  std::vector<device_entry> entries; ///< in file order, files in name order
  std::vector<std::string> files;    ///< the files read, as named in messages

  /// The entry with this id, nullptr when none.
  [[nodiscard]] const device_entry *find(std::string_view id) const;
};

/// One database file's text and the name its messages use (a path, or a label).
struct named_text {
  std::string text;   ///< TOML 1.0 text
  std::string source; ///< e.g. "suites/devices/nvidia.toml"
};

/// Load a database: a folder (every *.toml in it, by name) or a single .toml file. Throws
/// bench::error (exit 2) when unreadable or invalid, with one line
/// "file:line:column: device 'id': field what is wrong; expected what".
[[nodiscard]] database load(const std::filesystem::path &path);

/// Parse one file's text (source names it in messages); same checks and errors as load().
[[nodiscard]] database parse(std::string_view text, const std::string &source);

/// Parse several files' texts as one database: duplicate ids, names and PCI ids across them
/// are errors naming both places.
[[nodiscard]] database parse(const std::vector<named_text> &files);

/// The shipped database folder: the first "devices" folder in bench::suite_search_dirs()
/// (install: share/suanli/suites/devices; source tree: suites/devices). Throws bench::error
/// (exit 3) naming the folders searched when there is none.
[[nodiscard]] std::filesystem::path default_path();

} // namespace suanli::devices
