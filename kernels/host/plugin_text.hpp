#pragma once
// Strings a plugin hands to the host, read without trusting them: never past a bound, one line.

#include <cstddef>
#include <string>

namespace suanli::host {

/// Most bytes read from a reason a plugin's last_error returns; a longer (or unterminated)
/// reason is cut there with a note.
inline constexpr size_t max_reason_bytes = 1024;
/// Most bytes of a table's name, including its NUL (a longer name is refused at load).
inline constexpr size_t max_name_bytes = 64;
/// Most bytes of a table's version string, including its NUL (longer is refused at load).
inline constexpr size_t max_version_bytes = 256;

/// The text at `text` (nullptr: "") read up to its NUL but never more than `capacity` bytes;
/// control characters (line breaks, tabs, escapes) become spaces so that it stays one line.
/// `terminated` tells whether a NUL was found within `capacity`.
[[nodiscard]] std::string plugin_text(const char *text, size_t capacity, bool &terminated);

/// A reason from last_error: at most max_reason_bytes, one line; "no reason given" when empty;
/// a cut reason ends with "[... cut at 1024 bytes: longer, or not NUL-terminated]".
[[nodiscard]] std::string plugin_reason(const char *text);

/// An inline string field of a property struct (`capacity` bytes, the array's size). Throws
/// bench::error (exit 3) "<where>: field <field> (<capacity> bytes) holds no NUL terminator..."
/// when the plugin filled it to the end: the ABI requires NUL-terminated inline strings.
[[nodiscard]] std::string plugin_field(const char *field, size_t capacity, const std::string &where,
                                       const char *name);

/// plugin_field for an array member, sized by its type.
template <size_t N>
[[nodiscard]] std::string plugin_field(const char (&field)[N], const std::string &where,
                                       const char *name) {
  return plugin_field(field, N, where, name);
}

} // namespace suanli::host
