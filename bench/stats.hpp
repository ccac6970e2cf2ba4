#pragma once

#include <cstdint>
#include <limits>
#include <span>

namespace suanli::bench {

/// Summary statistics of a sample of times or rates (DESIGN.md, Measurement).
struct summary {
  int64_t count = 0;   ///< number of samples
  double median = 0;   ///< the headline figure
  double ci_low = 0;   ///< lower bound of the distribution-free CI of the median
  double ci_high = 0;  ///< upper bound of the distribution-free CI of the median
  double ci_level = 0; ///< achieved coverage of [ci_low, ci_high] (>= 0.95 when count >= 6)
  double min = 0;      ///< smallest sample
  double max = 0;      ///< largest sample
  double p5 = 0;       ///< 5th percentile (linear interpolation)
  double p95 = 0;      ///< 95th percentile (linear interpolation)
  double mean = 0;     ///< arithmetic mean
  double stddev = 0;   ///< sample standard deviation (n - 1)
  double cov = 0;      ///< coefficient of variation stddev / mean

  /// Relative width of the CI of the median: (ci_high - ci_low) / median.
  [[nodiscard]] double rel_ci_width() const {
    return median > 0 ? (ci_high - ci_low) / median : std::numeric_limits<double>::infinity();
  }
};

/// Ranks (1-based, j <= k) of the order statistics bounding a distribution-free confidence
/// interval of the median at >= level coverage, and the coverage achieved. For samples too
/// small to reach the level (n < 6 at 95%), j = 1, k = n and coverage is what [min, max] gives.
struct median_ci_ranks {
  int64_t lower_rank; ///< j: CI low = x_(j)
  int64_t upper_rank; ///< k: CI high = x_(k)
  double coverage;    ///< exact binomial coverage P(x_(j) <= median <= x_(k))
};

/// Order-statistic ranks for the CI of the median of n samples (exact binomial for n <= 2000,
/// normal approximation beyond).
[[nodiscard]] median_ci_ranks median_ci(int64_t n, double level = 0.95);

/// Percentile q in [0, 1] of sorted data by linear interpolation between closest ranks.
[[nodiscard]] double percentile_sorted(std::span<const double> sorted, double q);

/// All statistics of a sample; an empty sample gives a zero summary.
[[nodiscard]] summary summarize(std::span<const double> samples, double level = 0.95);

/// Harmonic mean of positive rates (how rates are aggregated across cases); 0 when empty.
[[nodiscard]] double harmonic_mean(std::span<const double> rates);

} // namespace suanli::bench
