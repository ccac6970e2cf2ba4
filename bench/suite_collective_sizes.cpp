// Sizes of [[collective]] tables: "8B", "4KiB", "256MiB", "1GiB" or integers of bytes, listed or
// swept geometrically, checked against the table's dtypes (schema: suites/README.md).
#include <bench/suite_toml.hpp>

#include <bench/collective_problem.hpp>
#include <bench/dtype.hpp>

#include <algorithm>
#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace suanli::bench::suite_detail {
namespace {

const std::string table_name = "[[collective]]";

const std::string size_form = "an integer number of bytes or a string of digits with a unit B, "
                              "KiB, MiB or GiB (\"8B\", \"4KiB\", \"256MiB\", \"1GiB\")";

std::string in_table(const std::string &key) {
  return "'" + key + "' in " + table_name;
}

std::string show_bytes(uint64_t bytes) {
  const std::string exact = format_bytes(bytes);
  return exact.ends_with("iB") ? exact + " (" + std::to_string(bytes) + " B)"
                               : std::to_string(bytes) + " B";
}

// A size as written: an integer of bytes, or "<digits><unit>".
located<uint64_t> read_size(const reader &r, const toml::node &n, const std::string &what) {
  if (const auto *i = n.as_integer()) {
    if (i->get() < 0) {
      r.fail(n.source(), what + " = " + std::to_string(i->get()) + " is negative", size_form);
    }
    return {static_cast<uint64_t>(i->get()), n.source()};
  }
  if (!n.is_string()) {
    r.fail(n.source(), what + " is " + type_name(n.type()), size_form);
  }
  const std::string text = r.string(n, what);
  constexpr std::array<std::pair<std::string_view, uint64_t>, 4> units{
      {{"B", 1},
       {"KiB", uint64_t{1} << 10},
       {"MiB", uint64_t{1} << 20},
       {"GiB", uint64_t{1} << 30}}};
  const size_t digits = text.find_first_not_of("0123456789");
  const std::string_view unit =
      digits == std::string::npos ? "" : std::string_view(text).substr(digits);
  const auto u =
      std::find_if(units.begin(), units.end(), [&](const auto &x) { return x.first == unit; });
  if (digits == 0 || digits == std::string::npos || u == units.end()) {
    r.fail(n.source(), what + " = \"" + text + "\" is not a size", size_form);
  }
  uint64_t value = 0;
  for (size_t i = 0; i < digits; ++i) {
    const auto digit = static_cast<uint64_t>(text[i] - '0');
    if (value > (collective_max_bytes - digit) / 10) {
      value = collective_max_bytes + 1; // beyond the cap; reported by check_size
      break;
    }
    value = value * 10 + digit;
  }
  const bool over = value > collective_max_bytes / u->second;
  return {over ? collective_max_bytes + 1 : value * u->second, n.source()};
}

// Zero and sizes beyond the cap are errors; so is a size that is not whole elements of a dtype.
void check_size(const reader &r, const located<uint64_t> &s, const std::string &what,
                const std::vector<sl_dtype> &dtypes, bool whole_elements) {
  if (s.value == 0) {
    r.fail(s.where, what + " is 0 B", "a size of at least one element");
  }
  if (s.value > collective_max_bytes) {
    r.fail(s.where, what + " exceeds " + show_bytes(collective_max_bytes),
           "at most " + format_bytes(collective_max_bytes));
  }
  for (const auto d : dtypes) {
    const uint64_t elem = sl_dtype_size(d);
    if (whole_elements && s.value % elem != 0) {
      r.fail(s.where,
             what + " = " + show_bytes(s.value) + " is not a multiple of the " +
                 std::string(name(d)) + " element size (" + std::to_string(elem) + " B)",
             "sizes that are whole elements of every dtype of the table");
    }
  }
}

} // namespace

std::vector<located<uint64_t>> read_collective_sizes(const reader &r, const toml::table &t,
                                                     const std::vector<sl_dtype> &dtypes) {
  const auto *sizes = t.get("sizes");
  const auto *min = t.get("min_bytes");
  const auto *max = t.get("max_bytes");
  const auto *factor = t.get("factor");
  const std::string forms = "sizes = [\"1MiB\", ...] or min_bytes = ... with max_bytes = ...";
  if (sizes != nullptr && (min != nullptr || max != nullptr)) {
    r.fail((min != nullptr ? min : max)->source(),
           "'min_bytes'/'max_bytes' together with 'sizes' in " + table_name, "one of " + forms);
  }
  if (factor != nullptr && min == nullptr && max == nullptr) {
    r.fail(factor->source(), "'factor' without 'min_bytes' and 'max_bytes' in " + table_name,
           forms);
  }
  if ((min == nullptr) != (max == nullptr)) {
    const bool has_min = min != nullptr;
    const std::string first = has_min ? "min_bytes" : "max_bytes";
    const std::string second = has_min ? "max_bytes" : "min_bytes";
    const std::string what = "'" + first + "' without '" + second + "'";
    r.fail((has_min ? min : max)->source(), what + " in " + table_name,
           "min_bytes and max_bytes together (factor optional, default 2)");
  }
  std::vector<located<uint64_t>> out;
  if (sizes != nullptr) {
    const auto *list = sizes->as_array();
    if (list != nullptr && list->empty()) {
      r.fail(sizes->source(), in_table("sizes") + " is empty", "at least one size");
    }
    const auto add = [&](const toml::node &n, const std::string &what) {
      const auto s = read_size(r, n, what);
      check_size(r, s, what, dtypes, true);
      for (const auto &seen : out) {
        if (seen.value == s.value) {
          r.fail(n.source(), "size " + show_bytes(s.value) + " listed twice in " + table_name,
                 "each size once");
        }
      }
      out.push_back(s);
    };
    if (list == nullptr) {
      add(*sizes, in_table("sizes"));
      return out;
    }
    for (const auto &entry : *list) {
      add(entry, "an entry of 'sizes'");
    }
    return out;
  }
  if (min == nullptr) {
    r.fail(t.source(), table_name + " table has no sizes", forms);
  }
  const auto low = read_size(r, *min, in_table("min_bytes"));
  check_size(r, low, in_table("min_bytes"), dtypes, true);
  const auto high = read_size(r, *max, in_table("max_bytes"));
  check_size(r, high, in_table("max_bytes"), dtypes, false);
  if (high.value < low.value) {
    r.fail(high.where,
           "max_bytes = " + show_bytes(high.value) +
               " is below min_bytes = " + show_bytes(low.value) + " in " + table_name,
           "max_bytes >= min_bytes");
  }
  uint64_t step = 2;
  if (factor != nullptr) {
    const int64_t f = r.integer(*factor, in_table("factor"));
    if (f < 2) {
      r.fail(factor->source(),
             "factor = " + std::to_string(f) + " in " + table_name + " is below 2",
             "an integer >= 2 (each size is the previous one times factor)");
    }
    step = static_cast<uint64_t>(f);
  }
  for (uint64_t s = low.value;; s *= step) {
    out.push_back({s, t.source()});
    if (s > high.value / step) {
      break;
    }
  }
  return out;
}

} // namespace suanli::bench::suite_detail
