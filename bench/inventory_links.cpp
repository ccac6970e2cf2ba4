// The link matrix of one backend's devices: probe, report JSON and the `suanli devices` text.
#include <bench/inventory_links.hpp>

#include <bench/text.hpp>

#include <algorithm>
#include <map>

namespace suanli::bench {
namespace {

// The label printed for a pair: the backend's name, else the kind's.
std::string label_of(const device_link &l) {
  return l.name.empty() ? std::string(link_kind_name(l.kind)) : l.name;
}

// text padded with blanks to width characters (at least one blank after it).
std::string cell(const std::string &text, size_t width) {
  return text + std::string(width > text.size() ? width - text.size() : 1, ' ');
}

// row without its trailing blanks, plus a newline.
std::string without_trailing_blanks(std::string row) {
  row.erase(row.find_last_not_of(' ') + 1);
  return row + "\n";
}

// One legend line: "NV18  scale_up, 18 links, 450 GB/s per direction".
std::string legend_line(const device_link &l) {
  std::string line = std::string(link_kind_name(l.kind));
  if (l.links > 0) {
    line += ", " + std::to_string(l.links) + (l.links == 1 ? " link" : " links");
  }
  if (l.bandwidth_gb_s > 0) {
    line += ", " + significant(l.bandwidth_gb_s, 4) + " GB/s per direction";
  }
  return line;
}

} // namespace

std::string_view link_kind_name(link_kind kind) {
  switch (kind) {
  case link_kind::self: return "self";
  case link_kind::scale_up: return "scale_up";
  case link_kind::pcie_switch: return "pcie_switch";
  case link_kind::pcie_host_bridge: return "pcie_host_bridge";
  case link_kind::numa_node: return "numa_node";
  case link_kind::system: return "system";
  case link_kind::unknown: return "unknown";
  }
  return "unknown";
}

link_matrix probe_links(const backend &b, int32_t devices) {
  link_matrix m;
  m.devices = devices;
  for (int32_t i = 0; i < devices; ++i) {
    for (int32_t j = i + 1; j < devices; ++j) {
      std::string why;
      auto l = b.link(i, j, why);
      if (!l) {
        m.pairs.clear();
        m.reason = why.empty() ? "no reason given" : why;
        return m;
      }
      m.pairs.push_back(std::move(*l));
    }
  }
  return m;
}

nlohmann::json links_json(const link_matrix &m) {
  auto out = nlohmann::json::array();
  for (const auto &l : m.pairs) {
    out.push_back({{"a", l.a},
                   {"b", l.b},
                   {"kind", link_kind_name(l.kind)},
                   {"name", l.name},
                   {"links", l.links},
                   {"bandwidth_gb_s", l.bandwidth_gb_s}});
  }
  return out;
}

std::string link_matrix_text(const link_matrix &m, const std::string &prefix) {
  if (m.devices < 2) {
    return "  links           none: " + std::to_string(m.devices) + " device" +
           (m.devices == 1 ? "" : "s") + ", no pair to link\n";
  }
  if (m.pairs.empty()) {
    return "  links           unavailable: " + m.reason + "\n";
  }
  const auto n = static_cast<size_t>(m.devices);
  std::vector<std::string> labels(n * n, "?");
  std::map<std::string, std::string> legend;
  for (size_t i = 0; i < n; ++i) {
    labels[i * n + i] = "X";
  }
  for (const auto &l : m.pairs) {
    const auto a = static_cast<size_t>(l.a), b = static_cast<size_t>(l.b);
    if (a < n && b < n) {
      labels[a * n + b] = labels[b * n + a] = label_of(l);
      legend.emplace(label_of(l), legend_line(l));
    }
  }
  size_t width = prefix.size() + 1 + std::to_string(n - 1).size();
  for (const auto &text : labels) {
    width = std::max(width, text.size());
  }
  width += 2;
  std::string row = "    " + cell("", width);
  for (size_t j = 0; j < n; ++j) {
    row += cell(prefix + ":" + std::to_string(j), width);
  }
  std::string out = "  links\n" + without_trailing_blanks(row);
  for (size_t i = 0; i < n; ++i) {
    row = "    " + cell(prefix + ":" + std::to_string(i), width);
    for (size_t j = 0; j < n; ++j) {
      row += cell(labels[i * n + j], width);
    }
    out += without_trailing_blanks(row);
  }
  for (const auto &[label, text] : legend) {
    out += "    " + cell(label, width) + text + "\n";
  }
  return out;
}

} // namespace suanli::bench
