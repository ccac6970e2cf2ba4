#include <devices/match.hpp>

#include <algorithm>
#include <cctype>
#include <utility>
#include <vector>

namespace suanli::devices {
namespace {

bool vendor_matches(const device_entry &e, std::string_view vendor) {
  const std::string reported = compact_name(vendor);
  if (reported.empty() || reported == compact_name(e.vendor)) {
    return true;
  }
  return std::any_of(e.vendor_aliases.begin(), e.vendor_aliases.end(),
                     [&](const std::string &alias) { return compact_name(alias) == reported; });
}

size_t common_prefix(std::string_view a, std::string_view b) {
  size_t n = 0;
  while (n < a.size() && n < b.size() && a[n] == b[n]) {
    ++n;
  }
  return n;
}

// "; similar entries: a ('name'), ..." : the entries whose names share the longest start with key,
// when that start is most of the shorter name.
std::string similar(const database &db, std::string_view key) {
  size_t best = 0;
  std::vector<std::pair<size_t, std::string>> shared; // (common start, "id ('name')")
  for (const auto &e : db.entries) {
    size_t longest = 0;
    std::string shown;
    for (const auto &n : e.names) {
      const std::string c = compact_name(n);
      const size_t common = common_prefix(c, key);
      if (common * 10 >= std::min(c.size(), key.size()) * 7 && common > longest) {
        longest = common;
        shown = e.id + " ('" + n + "')";
      }
    }
    if (longest > 0) {
      best = std::max(best, longest);
      shared.emplace_back(longest, shown);
    }
  }
  std::string out;
  int listed = 0;
  for (const auto &[common, shown] : shared) {
    if (common == best && listed++ < 3) {
      out += (out.empty() ? "; similar entries: " : ", ") + shown;
    }
  }
  return out;
}

match_result refuse(std::string reason) {
  return match_result{nullptr, std::move(reason)};
}

} // namespace

std::string compact_name(std::string_view text, bool keep_star) {
  std::string out;
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (c >= 0x80 || std::isdigit(c) != 0 || (keep_star && ch == '*')) {
      out += ch;
    } else if (std::isalpha(c) != 0) {
      out += static_cast<char>(std::tolower(c));
    }
  }
  return out;
}

bool glob_match(std::string_view pattern, std::string_view text) {
  size_t p = 0, t = 0, star = std::string_view::npos, resume = 0;
  while (t < text.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      resume = t;
    } else if (p < pattern.size() && pattern[p] == text[t]) {
      ++p;
      ++t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++resume;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') {
    ++p;
  }
  return p == pattern.size();
}

match_result match(const database &db, std::string_view vendor, std::string_view name) {
  const std::string key = compact_name(name);
  if (key.empty()) {
    return refuse("the backend reported no device name, so no rated peak applies");
  }
  std::vector<const device_entry *> found;
  for (const auto &e : db.entries) {
    if (std::any_of(e.names.begin(), e.names.end(),
                    [&](const std::string &n) { return compact_name(n) == key; })) {
      found.push_back(&e);
    }
  }
  const bool by_pattern = found.empty();
  if (by_pattern) {
    for (const auto &e : db.entries) {
      if (std::any_of(e.name_patterns.begin(), e.name_patterns.end(), [&](const std::string &p) {
            return glob_match(compact_name(p, true), key);
          })) {
        found.push_back(&e);
      }
    }
  }
  const std::string quoted = "'" + std::string(name) + "'";
  if (found.empty()) {
    return refuse("no device database entry lists the device name " + quoted +
                  (vendor.empty() ? "" : " (vendor '" + std::string(vendor) + "')") +
                  similar(db, key) + "; no rated peak applies");
  }
  if (found.size() > 1) {
    std::string ids;
    for (const auto *e : found) {
      ids += (ids.empty() ? "" : ", ") + e->id;
    }
    return refuse("device name " + quoted + " is ambiguous: it matches the " +
                  (by_pattern ? "name patterns" : "names") + " of entries " + ids +
                  "; no rated peak is chosen");
  }
  const device_entry &e = *found.front();
  if (!vendor_matches(e, vendor)) {
    return refuse("device name " + quoted + " is listed for " + e.id + " of vendor " + e.vendor +
                  ", but the backend reports vendor '" + std::string(vendor) +
                  "'; no rated peak applies");
  }
  return match_result{&e, {}};
}

match_result match_pci(const database &db, std::string_view pci_id) {
  std::string id;
  const size_t colon = pci_id.find(':');
  const auto half = [](std::string_view h) {
    if (h.size() > 2 && h[0] == '0' && (h[1] == 'x' || h[1] == 'X')) {
      h.remove_prefix(2);
    }
    std::string out;
    for (const char ch : h) {
      out += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    }
    return out;
  };
  if (colon != std::string_view::npos) {
    id = half(pci_id.substr(0, colon)) + ":" + half(pci_id.substr(colon + 1));
  }
  for (const auto &e : db.entries) {
    if (std::find(e.pci_ids.begin(), e.pci_ids.end(), id) != e.pci_ids.end()) {
      return match_result{&e, {}};
    }
  }
  return refuse("no device database entry lists the PCI id '" + std::string(pci_id) +
                "'; no rated peak applies");
}

} // namespace suanli::devices
