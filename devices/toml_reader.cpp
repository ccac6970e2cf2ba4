#include <devices/toml_reader.hpp>

#include <bench/error.hpp>

#include <cmath>
#include <string>

namespace suanli::devices::detail {
namespace {

using bench::suite_detail::type_name;

std::string show(double v) {
  std::string s = std::to_string(v);
  if (s.find('.') != std::string::npos) {
    s.erase(s.find_last_not_of('0') + 1);
    if (s.back() == '.') {
      s.pop_back();
    }
  }
  return s;
}

} // namespace

void reader::check_keys(const toml::table &t, const std::string &what,
                        const std::vector<std::string_view> &allowed) const {
  for (const auto &[key, value] : t) {
    const std::string_view k = key.str();
    bool known = false;
    for (const auto a : allowed) {
      known = known || a == k;
    }
    if (!known) {
      std::string list;
      for (const auto a : allowed) {
        list += (list.empty() ? "" : ", ") + std::string(a);
      }
      fail(key.source(), what + ": unknown key '" + std::string(k) + "'", "one of: " + list);
    }
  }
}

const toml::node &reader::required(const toml::table &t, std::string_view key,
                                   const std::string &what, const std::string &expected) const {
  if (const auto *n = t.get(key)) {
    return *n;
  }
  fail(t.source(), what + ": missing '" + std::string(key) + "'", expected);
}

std::string reader::string(const toml::node &n, const std::string &what) const {
  const auto *s = n.as_string();
  if (s == nullptr) {
    fail(n.source(), what + " is " + type_name(n.type()), "a string");
  }
  if (s->get().empty()) {
    fail(n.source(), what + " is empty", "a non-empty string");
  }
  return s->get();
}

std::vector<std::string> reader::strings(const toml::node &n, const std::string &what) const {
  const auto &list = array(n, what, "an array of strings");
  std::vector<std::string> out;
  for (const auto &item : list) {
    std::string value = string(item, "an entry of " + what);
    for (const auto &seen : out) {
      if (seen == value) {
        fail(item.source(), what + " lists '" + value + "' twice", "each value once");
      }
    }
    out.push_back(std::move(value));
  }
  return out;
}

int64_t reader::integer(const toml::node &n, const std::string &what, int64_t lowest,
                        int64_t highest) const {
  const std::string expected =
      "an integer from " + std::to_string(lowest) + " to " + std::to_string(highest);
  const auto *i = n.as_integer();
  if (i == nullptr) {
    fail(n.source(), what + " is " + type_name(n.type()), expected);
  }
  if (i->get() < lowest || i->get() > highest) {
    fail(n.source(), what + " is " + std::to_string(i->get()), expected);
  }
  return i->get();
}

double reader::positive(const toml::node &n, const std::string &what, std::string_view unit) const {
  const std::string expected = "a number > 0 [" + std::string(unit) + "]";
  double v = 0;
  if (const auto *i = n.as_integer()) {
    v = static_cast<double>(i->get());
  } else if (const auto *f = n.as_floating_point()) {
    v = f->get();
  } else {
    fail(n.source(), what + " is " + type_name(n.type()), expected);
  }
  if (!std::isfinite(v)) {
    fail(n.source(), what + " is not finite", expected);
  }
  if (v < 0) {
    fail(n.source(), what + " is negative (" + show(v) + ")", expected);
  }
  if (v == 0) {
    fail(n.source(), what + " is 0",
         expected + "; list the field in not_published when no source gives it");
  }
  return v;
}

} // namespace suanli::devices::detail
