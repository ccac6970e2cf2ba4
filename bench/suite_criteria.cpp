#include <bench/gemm_problem.hpp>
#include <bench/suite_toml.hpp>

#include <string>

namespace suanli::bench::suite_detail {
namespace {

// A fraction in (0, 1] (or (0, 2] where a claim may be exceeded), else one line naming the key.
double fraction(const reader &r, const toml::node &n, const std::string &what, double highest) {
  const double v = r.number(n, what);
  if (!(v > 0 && v <= highest)) {
    r.fail(n.source(), what + " = " + std::to_string(v) + " is out of range",
           "a fraction > 0 and <= " + std::to_string(static_cast<int>(highest)) +
               " (0.8 means 80%)");
  }
  return v;
}

} // namespace

certify_criteria read_criteria(const reader &r, const toml::table &t) {
  r.check_keys(t, "[certify]",
               {"require_verified", "min_sampled_s", "min_rated_fraction", "min_claimed_fraction",
                "max_throttled_fraction", "min_link_fraction", "min_capacity_fraction",
                "require_claims", "require_challenge"});
  certify_criteria c;
  c.where = r.at(t.source());
  if (const auto *n = t.get("require_verified")) {
    c.require_verified = r.boolean(*n, "'require_verified' in [certify]");
  }
  if (const auto *n = t.get("require_claims")) {
    c.require_claims = r.boolean(*n, "'require_claims' in [certify]");
  }
  if (const auto *n = t.get("require_challenge")) {
    c.require_challenge = r.boolean(*n, "'require_challenge' in [certify]");
  }
  if (const auto *n = t.get("min_sampled_s")) {
    c.min_sampled_s = r.number(*n, "'min_sampled_s' in [certify]");
    if (!(c.min_sampled_s >= 0 && c.min_sampled_s <= 86400)) {
      r.fail(n->source(), "min_sampled_s in [certify] is out of range",
             "a number of seconds from 0 to 86400");
    }
  }
  if (const auto *n = t.get("min_rated_fraction")) {
    const auto &per = r.table(*n, "'min_rated_fraction' in [certify]");
    for (const auto &[key, value] : per) {
      const std::string name(key.str());
      if (find_gemm_precision(name) == nullptr) {
        r.fail(value.source(), "unknown precision '" + name + "' in min_rated_fraction",
               "one of " + gemm_precision_names());
      }
      c.min_rated_fraction[name] =
          fraction(r, value, "min_rated_fraction." + name + " in [certify]", 1.0);
    }
  }
  const std::pair<const char *, std::optional<double> certify_criteria::*> optional_fractions[] = {
      {"min_claimed_fraction", &certify_criteria::min_claimed_fraction},
      {"max_throttled_fraction", &certify_criteria::max_throttled_fraction},
      {"min_link_fraction", &certify_criteria::min_link_fraction},
      {"min_capacity_fraction", &certify_criteria::min_capacity_fraction}};
  for (const auto &[key, member] : optional_fractions) {
    if (const auto *n = t.get(key)) {
      c.*member = fraction(r, *n, std::string("'") + key + "' in [certify]", 1.0);
    }
  }
  return c;
}

} // namespace suanli::bench::suite_detail
