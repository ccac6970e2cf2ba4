#include "render_xml.hpp"

#include <cctype>
#include <set>
#include <vector>

namespace suanli::test {
namespace {

bool name_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '_' || c == ':' ||
         c == '.';
}

std::string at(size_t pos, const std::string &what) {
  return "byte " + std::to_string(pos) + ": " + what;
}

// Checks entity references in [b, e); empty when fine.
std::string check_text(std::string_view s, size_t b, size_t e) {
  for (size_t i = b; i < e; ++i) {
    if (s[i] == '<') {
      return at(i, "raw '<' in text");
    }
    if (s[i] == '&') {
      const size_t semi = s.find(';', i);
      if (semi == std::string_view::npos || semi > e || semi - i > 10) {
        return at(i, "'&' not starting an entity");
      }
      const auto ent = s.substr(i + 1, semi - i - 1);
      const bool numeric = ent.size() > 1 && ent[0] == '#' &&
                           ent.find_first_not_of("0123456789", 1) == std::string_view::npos;
      if (!numeric && ent != "amp" && ent != "lt" && ent != "gt" && ent != "quot" &&
          ent != "apos") {
        return at(i, "unknown entity &" + std::string(ent) + ";");
      }
    }
  }
  return "";
}

} // namespace

size_t count_of(std::string_view text, std::string_view needle) {
  size_t n = 0;
  for (size_t p = text.find(needle); p != std::string_view::npos; p = text.find(needle, p + 1)) {
    ++n;
  }
  return n;
}

std::string xml_problem(std::string_view s) {
  std::vector<std::string> open;
  size_t i = 0, roots = 0;
  if (s.substr(0, 9) == "<!DOCTYPE") {
    i = s.find('>');
    if (i == std::string_view::npos) {
      return "unterminated DOCTYPE";
    }
    ++i;
  }
  while (i < s.size()) {
    const size_t lt = s.find('<', i);
    const size_t end = lt == std::string_view::npos ? s.size() : lt;
    if (open.empty()) {
      for (size_t k = i; k < end; ++k) {
        if (std::isspace(static_cast<unsigned char>(s[k])) == 0) {
          return at(k, "text outside the root element");
        }
      }
    } else if (auto p = check_text(s, i, end); !p.empty()) {
      return p;
    }
    if (lt == std::string_view::npos) {
      break;
    }
    if (s.substr(lt, 4) == "<!--") {
      const size_t c = s.find("-->", lt);
      if (c == std::string_view::npos) {
        return at(lt, "unterminated comment");
      }
      i = c + 3;
      continue;
    }
    const bool closing = lt + 1 < s.size() && s[lt + 1] == '/';
    size_t k = lt + (closing ? 2 : 1);
    const size_t name_start = k;
    while (k < s.size() && name_char(s[k])) {
      ++k;
    }
    const std::string name(s.substr(name_start, k - name_start));
    if (name.empty()) {
      return at(lt, "tag without a name");
    }
    if (closing) {
      while (k < s.size() && std::isspace(static_cast<unsigned char>(s[k])) != 0) {
        ++k;
      }
      if (k >= s.size() || s[k] != '>') {
        return at(k, "malformed closing tag </" + name);
      }
      if (open.empty() || open.back() != name) {
        return at(lt, "</" + name + "> does not close <" + (open.empty() ? "" : open.back()) + ">");
      }
      open.pop_back();
      i = k + 1;
      continue;
    }
    std::set<std::string> attrs;
    bool self_closing = false;
    for (;;) {
      while (k < s.size() && std::isspace(static_cast<unsigned char>(s[k])) != 0) {
        ++k;
      }
      if (k >= s.size()) {
        return at(lt, "unterminated tag <" + name);
      }
      if (s[k] == '>') {
        ++k;
        break;
      }
      if (s.substr(k, 2) == "/>") {
        self_closing = true;
        k += 2;
        break;
      }
      const size_t a = k;
      while (k < s.size() && name_char(s[k])) {
        ++k;
      }
      const std::string attr(s.substr(a, k - a));
      if (attr.empty() || k + 1 >= s.size() || s[k] != '=' ||
          (s[k + 1] != '"' && s[k + 1] != '\'')) {
        return at(k, "attribute of <" + name + "> without a quoted value");
      }
      if (!attrs.insert(attr).second) {
        return at(a, "duplicate attribute " + attr);
      }
      const char q = s[k + 1];
      const size_t close = s.find(q, k + 2);
      if (close == std::string_view::npos) {
        return at(k, "unterminated attribute value");
      }
      if (auto p = check_text(s, k + 2, close); !p.empty()) {
        return p;
      }
      k = close + 1;
    }
    if (open.empty()) {
      if (++roots > 1) {
        return at(lt, "a second root element <" + name + ">");
      }
    }
    if (!self_closing) {
      open.push_back(name);
    }
    i = k;
  }
  if (!open.empty()) {
    return "unclosed <" + open.back() + "> at end of document";
  }
  return roots == 1 ? "" : "no root element";
}

} // namespace suanli::test
