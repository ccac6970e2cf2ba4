#include <bench/suite_toml.hpp>

#include <bench/error.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <type_traits>

namespace suanli::bench::suite_detail {

std::string type_name(toml::node_type t) {
  switch (t) {
  case toml::node_type::table: return "a table";
  case toml::node_type::array: return "an array";
  case toml::node_type::string: return "a string";
  case toml::node_type::integer: return "an integer";
  case toml::node_type::floating_point: return "a float";
  case toml::node_type::boolean: return "a boolean";
  case toml::node_type::date: return "a date";
  case toml::node_type::time: return "a time";
  case toml::node_type::date_time: return "a date-time";
  default: return "nothing";
  }
}

namespace {

// Levenshtein distance, for "did you mean" hints on misspelt keys.
size_t distance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) {
    row[j] = j;
  }
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = up;
    }
  }
  return row[b.size()];
}

std::string format_number(double v) {
  std::string s = std::to_string(v);
  s.erase(s.find_last_not_of('0') + 1);
  if (!s.empty() && s.back() == '.') {
    s.pop_back();
  }
  return s;
}

// One overridable field of measure_policy: either a real or an integer member.
struct policy_field {
  std::string_view key;
  double measure_policy::*real;
  int64_t measure_policy::*whole;
  double lowest;         // smallest accepted value
  bool lowest_inclusive; // whether lowest itself is accepted
  double highest;        // largest accepted value (inclusive)
  std::string_view expected;
};

const policy_field policy_fields[] = {
    {"warmup_s", &measure_policy::warmup_s, nullptr, 0.0, true, 3600.0,
     "a number of seconds from 0 to 3600"},
    {"min_samples", nullptr, &measure_policy::min_samples, 1.0, true, 1e9,
     "an integer from 1 to 1000000000"},
    {"min_time_s", &measure_policy::min_time_s, nullptr, 0.0, true, 86400.0,
     "a number of seconds from 0 to 86400"},
    {"max_time_s", &measure_policy::max_time_s, nullptr, 0.0, false, 86400.0,
     "a number of seconds > 0 and <= 86400 (one day)"},
    {"target_rel_ci", &measure_policy::target_rel_ci, nullptr, 0.0, false, 1.0,
     "a relative width > 0 and <= 1 (0.02 means 2%)"},
    {"min_sample_s", &measure_policy::min_sample_s, nullptr, 0.0, true, 60.0,
     "a number of seconds from 0 to 60"},
    {"cold_bytes", nullptr, &measure_policy::cold_bytes, 0.0, true, 1e13,
     "a number of bytes from 0 (warm) to 10000000000000"},
};

std::string show(int64_t v) {
  return std::to_string(v);
}
std::string show(bool v) {
  return v ? "true" : "false";
}

// key = v or key = [v, ...] of integers or booleans (reader::integers, reader::booleans).
template <class T>
std::vector<located<T>> one_or_many(const reader &r, const toml::node &node, const std::string &key,
                                    const std::string &table_name) {
  constexpr bool is_bool = std::is_same_v<T, bool>;
  const auto read = [&](const toml::node &n, const std::string &what) -> T {
    if constexpr (is_bool) {
      return r.boolean(n, what);
    } else {
      return r.integer(n, what);
    }
  };
  std::vector<located<T>> out;
  const auto add = [&](const toml::node &n, const std::string &what) {
    const T v = read(n, what);
    for (const auto &seen : out) {
      if (seen.value == v) {
        r.fail(n.source(), key + " = " + show(v) + " listed twice in " + table_name,
               "each value once");
      }
    }
    out.push_back({v, n.source()});
  };
  const std::string what = "'" + key + "' in " + table_name;
  const auto *list = node.as_array();
  if (list == nullptr) {
    if (node.type() != (is_bool ? toml::node_type::boolean : toml::node_type::integer)) {
      r.fail(node.source(), what + " is " + type_name(node.type()),
             std::string(is_bool ? "true or false" : "an integer") + " or an array of them");
    }
    add(node, what);
    return out;
  }
  if (list->empty()) {
    r.fail(node.source(), what + " is empty", "at least one value");
  }
  for (const auto &entry : *list) {
    add(entry, "an entry of '" + key + "'");
  }
  return out;
}

} // namespace

std::vector<located<int64_t>> reader::integers(const toml::node &n, const std::string &key,
                                               const std::string &table_name) const {
  return one_or_many<int64_t>(*this, n, key, table_name);
}

std::vector<located<bool>> reader::booleans(const toml::node &n, const std::string &key,
                                            const std::string &table_name) const {
  return one_or_many<bool>(*this, n, key, table_name);
}

std::string reader::at(const toml::source_region &where) const {
  const auto line = where.begin.line == 0 ? 1U : where.begin.line;
  const auto column = where.begin.column == 0 ? 1U : where.begin.column;
  return source_ + ":" + std::to_string(line) + ":" + std::to_string(column);
}

void reader::fail(const toml::source_region &where, const std::string &what,
                  const std::string &expected) const {
  fail_input(at(where) + ": " + what + "; expected " + expected);
}

void reader::check_keys(const toml::table &t, std::string_view table_name,
                        const std::vector<std::string_view> &allowed) const {
  for (const auto &[key, value] : t) {
    const std::string_view k = key.str();
    if (std::find(allowed.begin(), allowed.end(), k) != allowed.end()) {
      continue;
    }
    std::string list;
    std::string_view closest;
    size_t best = 3; // suggest only keys within two edits
    for (const auto a : allowed) {
      list += (list.empty() ? "" : ", ") + std::string(a);
      if (const size_t d = distance(k, a); d < best) {
        best = d;
        closest = a;
      }
    }
    const std::string hint =
        closest.empty() ? "" : " (did you mean '" + std::string(closest) + "'?)";
    fail(key.source(), "unknown key '" + std::string(k) + "' in " + std::string(table_name),
         "one of: " + list + hint);
  }
}

const toml::table &reader::table(const toml::node &n, const std::string &what) const {
  if (const auto *t = n.as_table()) {
    return *t;
  }
  fail(n.source(), what + " is " + type_name(n.type()), "a table");
}

const toml::array &reader::array(const toml::node &n, const std::string &what,
                                 const std::string &expected) const {
  if (const auto *a = n.as_array()) {
    return *a;
  }
  fail(n.source(), what + " is " + type_name(n.type()), expected);
}

std::string reader::string(const toml::node &n, const std::string &what) const {
  if (const auto *s = n.as_string()) {
    return s->get();
  }
  fail(n.source(), what + " is " + type_name(n.type()), "a string");
}

int64_t reader::integer(const toml::node &n, const std::string &what) const {
  if (const auto *i = n.as_integer()) {
    return i->get();
  }
  fail(n.source(), what + " is " + type_name(n.type()), "an integer");
}

double reader::number(const toml::node &n, const std::string &what) const {
  if (const auto *i = n.as_integer()) {
    return static_cast<double>(i->get());
  }
  if (const auto *f = n.as_floating_point()) {
    if (!std::isfinite(f->get())) {
      fail(n.source(), what + " is not finite", "a finite number");
    }
    return f->get();
  }
  fail(n.source(), what + " is " + type_name(n.type()), "a number");
}

bool reader::boolean(const toml::node &n, const std::string &what) const {
  if (const auto *b = n.as_boolean()) {
    return b->get();
  }
  fail(n.source(), what + " is " + type_name(n.type()), "true or false");
}

std::string reader::identifier(const toml::node &n, const std::string &what) const {
  std::string s = string(n, what);
  const bool ok = !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-' || c == '.';
  });
  if (!ok) {
    fail(n.source(), what + " = \"" + s + "\" is not a valid name",
         "a non-empty name of letters, digits, '_', '-' and '.'");
  }
  return s;
}

measure_policy reader::policy(const toml::table &t, const std::string &table_name,
                              measure_policy base) const {
  std::vector<std::string_view> keys;
  for (const auto &f : policy_fields) {
    keys.push_back(f.key);
  }
  check_keys(t, table_name, keys);
  for (const auto &[key, value] : t) {
    const auto *f = std::find_if(std::begin(policy_fields), std::end(policy_fields),
                                 [k = key.str()](const policy_field &p) { return p.key == k; });
    const std::string what = "'" + std::string(f->key) + "' in " + table_name;
    const double v =
        f->whole != nullptr ? static_cast<double>(integer(value, what)) : number(value, what);
    const bool low_ok = f->lowest_inclusive ? v >= f->lowest : v > f->lowest;
    if (!low_ok || v > f->highest) {
      const std::string shown =
          f->whole != nullptr ? std::to_string(value.as_integer()->get()) : format_number(v);
      fail(value.source(),
           std::string(f->key) + " = " + shown + " in " + table_name + " is out of range",
           std::string(f->expected));
    }
    if (f->whole != nullptr) {
      base.*(f->whole) = value.as_integer()->get();
    } else {
      base.*(f->real) = v;
    }
  }
  if (base.min_time_s > base.max_time_s) {
    fail(t.source(),
         "min_time_s = " + format_number(base.min_time_s) +
             " exceeds max_time_s = " + format_number(base.max_time_s) + " in " + table_name,
         "min_time_s <= max_time_s");
  }
  return base;
}

} // namespace suanli::bench::suite_detail
