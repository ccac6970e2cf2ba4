#pragma once
// A strict little XML well-formedness checker for the rendered (XHTML-compatible) pages.

#include <string>
#include <string_view>

namespace suanli::test {

/// Empty when `text` is well-formed XML (one root element, after an optional <!DOCTYPE ...>):
/// tags nest and close, attribute values are quoted and unique per element, '&' starts only
/// &amp; &lt; &gt; &quot; &#39; or a numeric reference, no raw '<' in text. Otherwise the first
/// problem with its byte offset.
[[nodiscard]] std::string xml_problem(std::string_view text);

/// How many times `needle` occurs in `text`.
[[nodiscard]] size_t count_of(std::string_view text, std::string_view needle);

} // namespace suanli::test
