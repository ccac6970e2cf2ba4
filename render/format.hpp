#pragma once
// Text helpers shared by the printers: escaping and numbers with their units.

#include <string>
#include <string_view>

namespace suanli::render {

/// Text made safe for HTML/XML content and attribute values: & < > " ' become entities; control
/// characters XML 1.0 forbids become U+FFFD.
[[nodiscard]] std::string escape_html(std::string_view text);

/// Text made safe for a Markdown table cell: | and backslash escaped, < > & as HTML entities,
/// newlines as spaces.
[[nodiscard]] std::string escape_md(std::string_view text);

/// A CSV field (RFC 4180): quoted when it holds a comma, quote or line break.
[[nodiscard]] std::string escape_csv(std::string_view text);

/// A number with `digits` significant digits, plain notation for 1e-4 <= |v| < 1e7 ("31.7",
/// "0.0123", "1.2e+09"); "-" for NaN.
[[nodiscard]] std::string num(double value, int digits = 3);

/// A size in bytes with a binary prefix: "8 B", "64 KiB", "4 MiB", "1.5 GiB".
[[nodiscard]] std::string bytes_text(double bytes);

/// A duration with an adaptive unit: "812 ns", "13.4 us", "9.81 ms", "1.20 s".
[[nodiscard]] std::string seconds_text(double seconds);

/// A percentage of a fraction: 0.273 -> "27.3%".
[[nodiscard]] std::string percent(double fraction);

} // namespace suanli::render
