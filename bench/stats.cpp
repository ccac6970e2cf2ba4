#include <bench/stats.hpp>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

namespace suanli::bench {
namespace {

// log Gamma(x) for x > 0. lgamma_r (POSIX, from <cmath> with glibc), not std::lgamma: std::lgamma
// writes the global `signgam`, a data race when several threads summarize at once (`suanli audit`
// does; found by TSan).
double log_gamma(double x) {
  int sign = 0;
  return ::lgamma_r(x, &sign);
}

// log of the binomial(n, 1/2) probability mass at i.
double log_pmf_half(int64_t n, int64_t i) {
  const auto ld = [](int64_t v) { return log_gamma(static_cast<double>(v) + 1.0); };
  return ld(n) - ld(i) - ld(n - i) - static_cast<double>(n) * std::log(2.0);
}

} // namespace

median_ci_ranks median_ci(int64_t n, double level) {
  if (n <= 0) {
    return {0, 0, 0.0};
  }
  const double alpha = 1.0 - level;
  if (n > 2000) {
    // Normal approximation of the binomial: j = floor(n/2 - z sqrt(n)/2), z from the level.
    double lo = 0.0, hi = 10.0;
    for (int i = 0; i < 60; ++i) { // bisection for erfc(z / sqrt 2) = alpha
      const double mid = (lo + hi) / 2.0;
      (std::erfc(mid / std::sqrt(2.0)) > alpha ? lo : hi) = mid;
    }
    const auto j = static_cast<int64_t>(
        std::floor(static_cast<double>(n) / 2.0 - lo * std::sqrt(static_cast<double>(n)) / 2.0));
    const int64_t lower = std::max<int64_t>(1, j);
    // Achieved coverage under the same approximation, with continuity correction.
    const double half_width = (static_cast<double>(n) / 2.0 - static_cast<double>(lower) + 0.5) /
                              (std::sqrt(static_cast<double>(n)) / 2.0);
    return {lower, n + 1 - lower, 1.0 - std::erfc(half_width / std::sqrt(2.0))};
  }
  // Largest j with 2 * P(B <= j - 1) <= alpha, B ~ Binomial(n, 1/2).
  double tail = 0.0; // P(B <= j - 1)
  int64_t best = 0;
  double best_tail = 0.0;
  for (int64_t j = 1; j <= n / 2; ++j) {
    tail += std::exp(log_pmf_half(n, j - 1));
    if (2.0 * tail <= alpha) {
      best = j;
      best_tail = tail;
    } else {
      break;
    }
  }
  if (best == 0) {
    // Too few samples for the level: report [min, max] and its true coverage.
    const double coverage = n == 1 ? 0.0 : 1.0 - 2.0 * std::exp(log_pmf_half(n, 0));
    return {1, n, coverage};
  }
  // Coverage of [x_(j), x_(n+1-j)] = 1 - 2 P(B <= j - 1).
  return {best, n + 1 - best, 1.0 - 2.0 * best_tail};
}

double percentile_sorted(std::span<const double> sorted, double q) {
  if (sorted.empty()) {
    return 0.0;
  }
  const double pos = q * static_cast<double>(sorted.size() - 1);
  const auto lo = static_cast<size_t>(std::floor(pos));
  const size_t hi = std::min(lo + 1, sorted.size() - 1);
  const double frac = pos - static_cast<double>(lo);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * frac;
}

summary summarize(std::span<const double> samples, double level) {
  summary s;
  if (samples.empty()) {
    return s;
  }
  std::vector<double> sorted(samples.begin(), samples.end());
  std::sort(sorted.begin(), sorted.end());
  const auto n = static_cast<int64_t>(sorted.size());
  s.count = n;
  s.min = sorted.front();
  s.max = sorted.back();
  s.median = percentile_sorted(sorted, 0.5);
  s.p5 = percentile_sorted(sorted, 0.05);
  s.p95 = percentile_sorted(sorted, 0.95);
  const auto ranks = median_ci(n, level);
  s.ci_low = sorted[static_cast<size_t>(ranks.lower_rank - 1)];
  s.ci_high = sorted[static_cast<size_t>(ranks.upper_rank - 1)];
  s.ci_level = ranks.coverage;
  s.mean = std::accumulate(sorted.begin(), sorted.end(), 0.0) / static_cast<double>(n);
  if (n > 1) {
    double ss = 0.0;
    for (const double x : sorted) {
      ss += (x - s.mean) * (x - s.mean);
    }
    s.stddev = std::sqrt(ss / static_cast<double>(n - 1));
  }
  s.cov = s.mean != 0.0 ? s.stddev / s.mean : 0.0;
  return s;
}

double harmonic_mean(std::span<const double> rates) {
  if (rates.empty()) {
    return 0.0;
  }
  double inv = 0.0;
  for (const double r : rates) {
    if (r <= 0.0) {
      return 0.0;
    }
    inv += 1.0 / r;
  }
  return static_cast<double>(rates.size()) / inv;
}

} // namespace suanli::bench
