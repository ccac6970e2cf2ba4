#pragma once
// Private to the database parser (devices/*.cpp): typed, position-aware access to a parsed TOML
// document. Every failure is one bench::error (exit 2) line
// "source:line:column: what is wrong; expected what".

#include <bench/suite_toml.hpp>
#include <devices/entry.hpp>

#include <toml++/toml.h>

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace suanli::devices::detail {

/// The suite reader (source positions, fail, table, array) with the database's own rules:
/// non-empty strings, ranged integers, positive numbers with units, required keys.
class reader : public bench::suite_detail::reader {
public:
  using bench::suite_detail::reader::reader;

  /// Reject any key of t not in allowed; what names the table in the message.
  void check_keys(const toml::table &t, const std::string &what,
                  const std::vector<std::string_view> &allowed) const;
  /// The node at key of t; fails "missing 'key'" at the table when absent.
  [[nodiscard]] const toml::node &required(const toml::table &t, std::string_view key,
                                           const std::string &what,
                                           const std::string &expected) const;
  /// A non-empty string.
  [[nodiscard]] std::string string(const toml::node &n, const std::string &what) const;
  /// An array of non-empty strings, each listed once (empty arrays allowed).
  [[nodiscard]] std::vector<std::string> strings(const toml::node &n,
                                                 const std::string &what) const;
  /// An integer from lowest to highest.
  [[nodiscard]] int64_t integer(const toml::node &n, const std::string &what, int64_t lowest,
                                int64_t highest) const;
  /// A finite number > 0 (an integer is accepted); unit names it in the expectation.
  [[nodiscard]] double positive(const toml::node &n, const std::string &what,
                                std::string_view unit) const;
};

/// The [sources] of one file by key.
using source_map = std::map<std::string, source, std::less<>>;

/// The [sources] table of a file, validated.
[[nodiscard]] source_map read_sources(const reader &r, const toml::table &doc);

/// The source a figure names (its "source" key) and its confidence (the source's, or the
/// figure's own "confidence" override); fails when absent or not in sources.
struct provenance {
  source from;      ///< the named source
  confidence trust; ///< effective confidence
};
[[nodiscard]] provenance read_provenance(const reader &r, const toml::table &t,
                                         const source_map &sources, const std::string &what);

/// One [[device]] table of a file whose [vendor] is given.
[[nodiscard]] device_entry read_device(const reader &r, const toml::table &t,
                                       const source_map &sources, size_t index);

/// Every [[device]] of one file's text, each validated on its own (cross-entry checks are the
/// caller's).
[[nodiscard]] std::vector<device_entry> read_file(std::string_view text, const std::string &source);

} // namespace suanli::devices::detail
