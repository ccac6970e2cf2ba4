#pragma once
// Private to the suite parser (bench/suite*.cpp): typed, position-aware access
// to a parsed TOML document. Every failure is a bench::error (exit 2)
// "source:line:column: what; expected what".

#include <bench/measure_policy.hpp>
#include <bench/suite.hpp>
#include <bench/suite_criteria.hpp>

#include <toml++/toml.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace suanli::bench::suite_detail {

/// "a string", "an integer", ... for type mismatch messages.
[[nodiscard]] std::string type_name(toml::node_type t);

/// A value of a suite file and where it was written.
template <class T> struct located {
  T value{};                 ///< the value
  toml::source_region where; ///< its position
};

/// Reads typed values out of one TOML document, naming its source in every
/// error.
class reader {
public:
  /// source names the text in messages (a path, or a label for in-memory text).
  explicit reader(std::string source) : source_(std::move(source)) {}

  /// "source:line:column" of a region (line 1, column 1 when the region is
  /// unknown).
  [[nodiscard]] std::string at(const toml::source_region &where) const;
  /// Throw bench::error (exit 2): "<at(where)>: <what>; expected <expected>".
  [[noreturn]] void fail(const toml::source_region &where, const std::string &what,
                         const std::string &expected) const;

  /// Reject any key of t not in allowed; table_name (e.g. "[[gemm]]") appears
  /// in the message.
  void check_keys(const toml::table &t, std::string_view table_name,
                  const std::vector<std::string_view> &allowed) const;

  /// The node as a table / array; what names it in messages (e.g. "'measure' in
  /// [[gemm]]").
  [[nodiscard]] const toml::table &table(const toml::node &n, const std::string &what) const;
  [[nodiscard]] const toml::array &array(const toml::node &n, const std::string &what,
                                         const std::string &expected) const;
  /// Scalars of the expected type; an integer is accepted where a number is
  /// expected.
  [[nodiscard]] std::string string(const toml::node &n, const std::string &what) const;
  [[nodiscard]] int64_t integer(const toml::node &n, const std::string &what) const;
  [[nodiscard]] double number(const toml::node &n, const std::string &what) const;
  [[nodiscard]] bool boolean(const toml::node &n, const std::string &what) const;
  /// A non-empty string of letters, digits, '_', '-' and '.' (used inside case
  /// names).
  [[nodiscard]] std::string identifier(const toml::node &n, const std::string &what) const;

  /// `key = v` or `key = [v, ...]` in table_name (e.g. "[[attention]]"): each value with its
  /// position; an empty array or a value listed twice is an error.
  [[nodiscard]] std::vector<located<int64_t>> integers(const toml::node &n, const std::string &key,
                                                       const std::string &table_name) const;
  [[nodiscard]] std::vector<located<bool>> booleans(const toml::node &n, const std::string &key,
                                                    const std::string &table_name) const;

  /// base overridden by the keys of a measure table (warmup_s, min_samples,
  /// ...), validated.
  [[nodiscard]] measure_policy policy(const toml::table &t, const std::string &table_name,
                                      measure_policy base) const;

private:
  std::string source_;
};

/// One case produced by a suite table, with the position of the item that
/// produced it (the shape, square size or token count) for duplicate-name
/// messages.
struct expanded_case {
  suite_case value;    ///< the case
  std::string item_at; ///< "source:line:column" of the producing item
};

/// Expand one [[gemm]] table into its cases (dtype outer; shapes, square,
/// projections x tokens).
void expand_gemm(const reader &r, const toml::table &t, const measure_policy &defaults,
                 std::vector<expanded_case> &out);

/// Expand one [[attention]] table into its cases (dtype, batch, heads, head_dim,
/// sequence shape, causal; the first varies slowest).
void expand_attention(const reader &r, const toml::table &t, const measure_policy &defaults,
                      std::vector<expanded_case> &out);

/// Expand one [[collective]] table into its cases (ops, dtypes, reductions, in-place forms,
/// sizes; the first varies slowest).
void expand_collective(const reader &r, const toml::table &t, const measure_policy &defaults,
                       std::vector<expanded_case> &out);

/// The sizes of one [[collective]] table, from sizes = [...] or from the sweep min_bytes,
/// max_bytes, factor; each with the region its cases name (the size, or the table for a sweep).
/// Every size must be whole elements of each of dtypes.
[[nodiscard]] std::vector<located<uint64_t>>
read_collective_sizes(const reader &r, const toml::table &t, const std::vector<sl_dtype> &dtypes);

/// Read the [certify] table of a certification suite (bench/suite_criteria.hpp).
[[nodiscard]] certify_criteria read_criteria(const reader &r, const toml::table &t);

} // namespace suanli::bench::suite_detail
