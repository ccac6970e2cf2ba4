#include <devices/rated.hpp>

#include <array>
#include <utility>

namespace suanli::devices {
namespace {

constexpr std::array<std::pair<confidence, std::string_view>, 4> spellings{{
    {confidence::vendor_datasheet, "vendor datasheet"},
    {confidence::derived, "derived"},
    {confidence::press, "press/third party"},
    {confidence::estimate, "estimate"},
}};

} // namespace

std::string_view name(confidence c) {
  for (const auto &[value, text] : spellings) {
    if (value == c) {
      return text;
    }
  }
  return "invalid";
}

std::optional<confidence> parse_confidence(std::string_view text) {
  for (const auto &[value, spelling] : spellings) {
    if (spelling == text) {
      return value;
    }
  }
  return std::nullopt;
}

std::string confidence_names() {
  std::string out;
  for (const auto &[value, text] : spellings) {
    out += (out.empty() ? "\"" : ", \"") + std::string(text) + "\"";
  }
  return out;
}

} // namespace suanli::devices
