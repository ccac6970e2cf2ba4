#include <reports/text_table.hpp>

#include <bench/text.hpp>

#include <algorithm>

namespace suanli::reports {
namespace {

// Display width of UTF-8 text (counts code points, not bytes).
size_t width(const std::string &s) {
  return static_cast<size_t>(
      std::count_if(s.begin(), s.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

} // namespace

text_table::text_table(std::vector<std::string> headers, std::vector<size_t> left)
    : headers_(std::move(headers)), left_(std::move(left)) {}

void text_table::add_row(std::vector<std::string> cells) {
  cells.resize(headers_.size());
  rows_.push_back(std::move(cells));
}

std::string text_table::render() const {
  std::vector<size_t> w(headers_.size(), 0);
  for (size_t c = 0; c < headers_.size(); ++c) {
    w[c] = width(headers_[c]);
    for (const auto &r : rows_) {
      w[c] = std::max(w[c], width(r[c]));
    }
  }
  const auto line = [&](const std::vector<std::string> &cells) {
    std::string out;
    for (size_t c = 0; c < cells.size(); ++c) {
      const std::string pad(w[c] - width(cells[c]), ' ');
      const bool left = c == 0 || std::find(left_.begin(), left_.end(), c) != left_.end();
      out += (c == 0 ? "" : "  ") + (left ? cells[c] + pad : pad + cells[c]);
    }
    while (!out.empty() && out.back() == ' ') {
      out.pop_back();
    }
    return out + "\n";
  };
  std::string out = line(headers_);
  size_t total = 0;
  for (const size_t x : w) {
    total += x + 2;
  }
  out += std::string(total - 2, '-') + "\n";
  for (const auto &r : rows_) {
    out += line(r);
  }
  return out;
}

std::string format_seconds(double seconds) {
  if (seconds < 1e-6) {
    return bench::fixed(seconds * 1e9, 0) + " ns";
  }
  if (seconds < 1e-3) {
    return bench::fixed(seconds * 1e6, 2) + " us";
  }
  if (seconds < 1.0) {
    return bench::fixed(seconds * 1e3, 3) + " ms";
  }
  return bench::fixed(seconds, 3) + " s";
}

} // namespace suanli::reports
