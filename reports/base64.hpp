#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace suanli::reports {

/// Standard base64 (RFC 4648 section 4) with '=' padding.
[[nodiscard]] std::string base64_encode(std::string_view bytes);

/// Decodes standard or URL-safe base64 (RFC 4648 sections 4 and 5; DSSE accepts both), padding
/// optional. Strict: no whitespace, no mixed alphabets, no bits set past the last byte.
/// std::nullopt when the text is not such base64.
[[nodiscard]] std::optional<std::string> base64_decode(std::string_view text);

} // namespace suanli::reports
