#pragma once

#include <string>
#include <vector>

namespace suanli::reports {

/// A plain-text table with aligned columns: first column left-aligned, the rest right-aligned
/// unless marked left.
class text_table {
public:
  /// Columns by header; `left` lists the indices of left-aligned columns besides the first.
  explicit text_table(std::vector<std::string> headers, std::vector<size_t> left = {});
  /// Append a row (missing cells are empty).
  void add_row(std::vector<std::string> cells);
  /// The table with a header rule, one line per row, trailing newline.
  [[nodiscard]] std::string render() const;

private:
  std::vector<std::string> headers_;
  std::vector<size_t> left_;
  std::vector<std::vector<std::string>> rows_;
};

/// A duration with an adaptive unit: "812 ns", "13.4 us", "9.812 ms", "1.204 s".
[[nodiscard]] std::string format_seconds(double seconds);

} // namespace suanli::reports
