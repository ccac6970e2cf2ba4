#include <bench/inventory_io.hpp>

#include <charconv>
#include <fstream>
#include <sstream>

namespace suanli::bench::inventory_detail {

std::optional<std::string> read_text(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return std::nullopt;
  }
  std::ostringstream out;
  out << in.rdbuf();
  if (in.bad()) {
    return std::nullopt;
  }
  return out.str();
}

std::optional<std::string> read_line(const std::string &path) {
  const auto text = read_text(path);
  if (!text) {
    return std::nullopt;
  }
  std::string line = trim(std::string_view(*text).substr(0, text->find('\n')));
  if (line.empty()) {
    return std::nullopt;
  }
  return line;
}

std::optional<int64_t> read_int(const std::string &path) {
  const auto line = read_line(path);
  return line ? parse_int(*line) : std::nullopt;
}

std::string trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) {
    return {};
  }
  const auto last = text.find_last_not_of(" \t\r\n");
  return std::string(text.substr(first, last - first + 1));
}

std::optional<int64_t> parse_int(std::string_view text, int base) {
  if (base == 16 && (text.starts_with("0x") || text.starts_with("0X"))) {
    text.remove_prefix(2);
  }
  int64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value, base);
  if (ec != std::errc{} || end != text.data() + text.size() || text.empty()) {
    return std::nullopt;
  }
  return value;
}

std::map<std::string, std::string> key_values(std::string_view text, char sep, bool first_block) {
  std::map<std::string, std::string> out;
  while (!text.empty()) {
    const auto eol = text.find('\n');
    const std::string_view line = text.substr(0, eol);
    text = eol == std::string_view::npos ? std::string_view{} : text.substr(eol + 1);
    if (trim(line).empty()) {
      if (first_block && !out.empty()) {
        break;
      }
      continue;
    }
    const auto at = line.find(sep);
    if (at != std::string_view::npos) {
      out.emplace(trim(line.substr(0, at)), trim(line.substr(at + 1)));
    }
  }
  return out;
}

std::vector<std::map<std::string, std::string>> cpuinfo_blocks(std::string_view text) {
  std::vector<std::map<std::string, std::string>> blocks;
  while (!text.empty()) {
    const auto end = text.find("\n\n");
    auto block = key_values(text.substr(0, end), ':', true);
    if (!block.empty()) {
      blocks.push_back(std::move(block));
    }
    text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 2);
  }
  return blocks;
}

std::vector<int> parse_cpu_list(std::string_view text) {
  std::vector<int> cpus;
  const std::string list = trim(text);
  std::string_view rest(list);
  while (!rest.empty()) {
    const auto comma = rest.find(',');
    const std::string_view item = rest.substr(0, comma);
    rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
    const auto dash = item.find('-');
    const auto first = parse_int(item.substr(0, dash));
    const auto last = dash == std::string_view::npos ? first : parse_int(item.substr(dash + 1));
    if (!first || !last || *first < 0 || *last < *first || *last > (1 << 20)) {
      return {};
    }
    for (int64_t c = *first; c <= *last; ++c) {
      cpus.push_back(static_cast<int>(c));
    }
  }
  return cpus;
}

std::optional<int64_t> parse_size(std::string_view text) {
  const std::string s = trim(text);
  if (s.empty()) {
    return std::nullopt;
  }
  int64_t scale = 1;
  std::string_view digits(s);
  switch (s.back()) {
  case 'K':
    scale = int64_t{1} << 10;
    break;
  case 'M':
    scale = int64_t{1} << 20;
    break;
  case 'G':
    scale = int64_t{1} << 30;
    break;
  default:
    break;
  }
  if (scale != 1) {
    digits.remove_suffix(1);
  }
  const auto v = parse_int(digits);
  return v ? std::optional<int64_t>(*v * scale) : std::nullopt;
}

} // namespace suanli::bench::inventory_detail
