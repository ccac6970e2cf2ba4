#include <render/compare_stats.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>

namespace suanli::render {
namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

std::vector<double> thinned(std::span<const double> v, size_t max_samples) {
  std::vector<double> s(v.begin(), v.end());
  std::sort(s.begin(), s.end());
  if (s.size() <= max_samples) {
    return s;
  }
  std::vector<double> out;
  out.reserve(max_samples);
  for (size_t i = 0; i < max_samples; ++i) {
    const double q = (static_cast<double>(i) + 0.5) / static_cast<double>(max_samples);
    out.push_back(s[static_cast<size_t>(q * static_cast<double>(s.size()))]);
  }
  return out;
}

} // namespace

double median_of(std::vector<double> v) {
  if (v.empty()) {
    return nan;
  }
  std::sort(v.begin(), v.end());
  const size_t h = v.size() / 2;
  return v.size() % 2 ? v[h] : (v[h - 1] + v[h]) / 2;
}

double geometric_mean(std::span<const double> ratios) {
  double sum = 0;
  size_t n = 0;
  for (const double r : ratios) {
    if (r > 0 && std::isfinite(r)) {
      sum += std::log(r);
      ++n;
    }
  }
  return n == 0 ? nan : std::exp(sum / static_cast<double>(n));
}

double normal_quantile_two_sided(double level) {
  // Invert erfc by bisection: p = erfc(z / sqrt 2) = 1 - level.
  const double p = 1 - level;
  double lo = 0, hi = 40;
  for (int i = 0; i < 200; ++i) {
    const double mid = (lo + hi) / 2;
    (std::erfc(mid / std::sqrt(2.0)) > p ? lo : hi) = mid;
  }
  return (lo + hi) / 2;
}

u_test mann_whitney(std::span<const double> a, std::span<const double> b) {
  u_test t;
  const size_t n = a.size(), m = b.size();
  if (n == 0 || m == 0) {
    return t;
  }
  // Ranks of the pooled sample (average ranks for ties) and the tie correction.
  std::vector<std::pair<double, bool>> pooled; // value, from b
  pooled.reserve(n + m);
  for (const double x : a) {
    pooled.emplace_back(x, false);
  }
  for (const double x : b) {
    pooled.emplace_back(x, true);
  }
  std::sort(pooled.begin(), pooled.end());
  double rank_sum_b = 0, ties = 0;
  for (size_t i = 0; i < pooled.size();) {
    size_t j = i;
    while (j < pooled.size() && pooled[j].first == pooled[i].first) {
      ++j;
    }
    const double avg_rank = (static_cast<double>(i + 1) + static_cast<double>(j)) / 2;
    for (size_t k = i; k < j; ++k) {
      rank_sum_b += pooled[k].second ? avg_rank : 0;
    }
    const auto tk = static_cast<double>(j - i);
    ties += tk * tk * tk - tk;
    i = j;
  }
  const double dn = static_cast<double>(n), dm = static_cast<double>(m), N = dn + dm;
  t.u = rank_sum_b - dm * (dm + 1) / 2;
  const double mean = dn * dm / 2;
  const double var = dn * dm / 12 * ((N + 1) - ties / (N * (N - 1)));
  if (!(var > 0)) {
    return t;
  }
  const double d = t.u - mean;
  const double corrected = d > 0 ? std::max(0.0, d - 0.5) : std::min(0.0, d + 0.5);
  t.z = corrected / std::sqrt(var);
  t.p_value = std::min(1.0, std::erfc(std::fabs(t.z) / std::sqrt(2.0)));
  return t;
}

ratio_interval hodges_lehmann_ratio(std::span<const double> a, std::span<const double> b,
                                    double level, size_t max_samples) {
  const auto sa = thinned(a, max_samples), sb = thinned(b, max_samples);
  if (sa.empty() || sb.empty()) {
    return {nan, nan, nan};
  }
  std::vector<double> d;
  d.reserve(sa.size() * sb.size());
  for (const double x : sa) {
    for (const double y : sb) {
      d.push_back(std::log(y) - std::log(x));
    }
  }
  std::sort(d.begin(), d.end());
  const double nm = static_cast<double>(d.size());
  const double na = static_cast<double>(sa.size()), nb = static_cast<double>(sb.size());
  const double half_width = normal_quantile_two_sided(level) * std::sqrt(nm * (na + nb + 1) / 12);
  const auto c = static_cast<size_t>(std::max(0.0, std::floor(nm / 2 - half_width)));
  const size_t lo = std::min(c, d.size() - 1), hi = d.size() - 1 - lo;
  return {std::exp(median_of(d)), std::exp(d[lo]), std::exp(d[hi])};
}

ratio_interval bootstrap_median_ratio(std::span<const double> a, std::span<const double> b,
                                      double level, size_t resamples, uint64_t seed) {
  if (a.empty() || b.empty() || resamples == 0) {
    return {nan, nan, nan};
  }
  std::mt19937_64 rng(seed);
  // Index draws by modulo of the raw 64-bit output (bias below 1e-15 for these sizes): the same
  // on every standard library, which std::uniform_int_distribution is not.
  auto draw = [&rng](size_t n) { return static_cast<size_t>(rng() % n); };
  auto resampled_median = [&draw](std::span<const double> v, std::vector<double> &buf) {
    buf.resize(v.size());
    for (auto &x : buf) {
      x = v[draw(v.size())];
    }
    const size_t h = buf.size() / 2;
    std::nth_element(buf.begin(), buf.begin() + static_cast<std::ptrdiff_t>(h), buf.end());
    const double upper = buf[h];
    if (buf.size() % 2 != 0) {
      return upper;
    }
    return (*std::max_element(buf.begin(), buf.begin() + static_cast<std::ptrdiff_t>(h)) + upper) /
           2;
  };
  std::vector<double> ratios, buf;
  ratios.reserve(resamples);
  for (size_t r = 0; r < resamples; ++r) {
    const double ma = resampled_median(a, buf);
    ratios.push_back(resampled_median(b, buf) / ma);
  }
  std::sort(ratios.begin(), ratios.end());
  const double tail = (1 - level) / 2 * static_cast<double>(resamples - 1);
  const auto lo = static_cast<size_t>(std::floor(tail));
  const auto hi = static_cast<size_t>(std::ceil(static_cast<double>(resamples - 1) - tail));
  const std::vector<double> va(a.begin(), a.end()), vb(b.begin(), b.end());
  return {median_of(vb) / median_of(va), ratios[lo], ratios[std::min(hi, resamples - 1)]};
}

} // namespace suanli::render
