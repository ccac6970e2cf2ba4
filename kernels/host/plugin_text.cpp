#include <kernels/host/plugin_text.hpp>

#include <bench/error.hpp>

namespace suanli::host {

std::string plugin_text(const char *text, size_t capacity, bool &terminated) {
  terminated = true;
  if (text == nullptr) {
    return "";
  }
  std::string out;
  size_t len = 0;
  while (len < capacity && text[len] != '\0') { // never past capacity, terminator or not
    ++len;
  }
  terminated = len < capacity;
  out.assign(text, len);
  for (char &ch : out) {
    const auto u = static_cast<unsigned char>(ch);
    if (u < 0x20 || u == 0x7f) {
      ch = ' ';
    }
  }
  return out;
}

std::string plugin_reason(const char *text) {
  bool terminated = true;
  std::string why = plugin_text(text, max_reason_bytes, terminated);
  if (!terminated) {
    why += " [... cut at " + std::to_string(max_reason_bytes) +
           " bytes: longer, or not NUL-terminated]";
  }
  return why.empty() ? "no reason given" : why;
}

std::string plugin_field(const char *field, size_t capacity, const std::string &where,
                         const char *name) {
  bool terminated = true;
  std::string text = plugin_text(field, capacity, terminated);
  if (!terminated) {
    bench::fail_environment(where + ": field " + name + " (" + std::to_string(capacity) +
                            " bytes) holds no NUL terminator; the backend ABI requires "
                            "NUL-terminated inline strings (a plugin bug)");
  }
  return text;
}

} // namespace suanli::host
