#include <render/format.hpp>

#include <cmath>
#include <cstdio>

namespace suanli::render {

std::string escape_html(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
    case '&': out += "&amp;"; break;
    case '<': out += "&lt;"; break;
    case '>': out += "&gt;"; break;
    case '"': out += "&quot;"; break;
    case '\'': out += "&#39;"; break;
    default:
      if (static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t' && c != '\r') {
        out += "\xEF\xBF\xBD";
      } else {
        out += c;
      }
    }
  }
  return out;
}

std::string escape_md(std::string_view text) {
  std::string out;
  for (const char c : text) {
    switch (c) {
    case '|': out += "\\|"; break;
    case '\\': out += "\\\\"; break;
    case '<': out += "&lt;"; break;
    case '>': out += "&gt;"; break;
    case '&': out += "&amp;"; break;
    case '\n':
    case '\r': out += ' '; break;
    default: out += c;
    }
  }
  return out;
}

std::string escape_csv(std::string_view text) {
  if (text.find_first_of(",\"\n\r") == std::string_view::npos) {
    return std::string(text);
  }
  std::string out = "\"";
  for (const char c : text) {
    out += c == '"' ? std::string("\"\"") : std::string(1, c);
  }
  return out + "\"";
}

std::string num(double value, int digits) {
  if (std::isnan(value)) {
    return "-";
  }
  char buf[64];
  const double a = std::fabs(value);
  if (a != 0 && (a < 1e-4 || a >= 1e7)) {
    std::snprintf(buf, sizeof buf, "%.*e", digits - 1, value);
    return buf;
  }
  if (a >= 1e4) { // whole digits rather than an exponent below 1e7
    std::snprintf(buf, sizeof buf, "%.0f", value);
    return buf;
  }
  std::snprintf(buf, sizeof buf, "%.*g", digits, value);
  return buf;
}

std::string bytes_text(double bytes) {
  static constexpr const char *units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  size_t u = 0;
  while (bytes >= 1024 && u + 1 < std::size(units)) {
    bytes /= 1024;
    ++u;
  }
  return num(bytes, 4) + " " + units[u];
}

std::string seconds_text(double seconds) {
  if (std::isnan(seconds)) {
    return "-";
  }
  const double a = std::fabs(seconds);
  if (a < 1e-6) {
    return num(seconds * 1e9, 3) + " ns";
  }
  if (a < 1e-3) {
    return num(seconds * 1e6, 3) + " us";
  }
  if (a < 1) {
    return num(seconds * 1e3, 3) + " ms";
  }
  return num(seconds, 3) + " s";
}

std::string percent(double fraction) {
  if (std::isnan(fraction)) {
    return "-";
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f%%", fraction * 100);
  return buf;
}

} // namespace suanli::render
