#include <reports/base64.hpp>

#include <array>
#include <cstdint>

namespace suanli::reports {
namespace {

constexpr std::string_view standard_alphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Which alphabet a character belongs to.
enum class alphabet : std::uint8_t { none, both, standard, url_safe };

struct symbol {
  std::uint8_t value = 0;
  alphabet kind = alphabet::none;
};

constexpr std::array<symbol, 256> make_table() {
  std::array<symbol, 256> table{};
  for (std::size_t i = 0; i < 62; ++i) {
    table[static_cast<unsigned char>(standard_alphabet[i])] = {static_cast<std::uint8_t>(i),
                                                               alphabet::both};
  }
  table['+'] = {62, alphabet::standard};
  table['/'] = {63, alphabet::standard};
  table['-'] = {62, alphabet::url_safe};
  table['_'] = {63, alphabet::url_safe};
  return table;
}

constexpr std::array<symbol, 256> decode_table = make_table();

} // namespace

std::string base64_encode(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  auto byte = [&](std::size_t k) {
    return static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[k]));
  };
  for (; i + 3 <= bytes.size(); i += 3) {
    const std::uint32_t v = byte(i) << 16 | byte(i + 1) << 8 | byte(i + 2);
    for (int shift = 18; shift >= 0; shift -= 6) {
      out.push_back(standard_alphabet[(v >> shift) & 63]);
    }
  }
  const std::size_t rest = bytes.size() - i;
  if (rest > 0) {
    const std::uint32_t v = byte(i) << 16 | (rest == 2 ? byte(i + 1) << 8 : 0);
    out.push_back(standard_alphabet[(v >> 18) & 63]);
    out.push_back(standard_alphabet[(v >> 12) & 63]);
    out.push_back(rest == 2 ? standard_alphabet[(v >> 6) & 63] : '=');
    out.push_back('=');
  }
  return out;
}

std::optional<std::string> base64_decode(std::string_view text) {
  // Padding: only when the length is a multiple of 4, at most two '=' at the end.
  std::size_t pad = 0;
  while (pad < 2 && pad < text.size() && text[text.size() - 1 - pad] == '=') {
    ++pad;
  }
  if (pad > 0 && text.size() % 4 != 0) {
    return std::nullopt;
  }
  const std::string_view body = text.substr(0, text.size() - pad);
  if (body.size() % 4 == 1) {
    return std::nullopt; // 6 bits cannot make a byte
  }
  std::string out;
  out.reserve(body.size() * 3 / 4);
  alphabet seen = alphabet::both;
  std::uint32_t acc = 0;
  int bits = 0;
  for (const char c : body) {
    const symbol s = decode_table[static_cast<unsigned char>(c)];
    if (s.kind == alphabet::none) {
      return std::nullopt;
    }
    if (s.kind != alphabet::both) {
      if (seen != alphabet::both && seen != s.kind) {
        return std::nullopt; // '+' or '/' mixed with '-' or '_'
      }
      seen = s.kind;
    }
    acc = (acc << 6 | s.value) & 0xffffffU;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((acc >> bits) & 0xffU));
    }
  }
  if ((acc & ((1U << bits) - 1U)) != 0) {
    return std::nullopt; // non-canonical: bits set past the last byte
  }
  return out;
}

} // namespace suanli::reports
