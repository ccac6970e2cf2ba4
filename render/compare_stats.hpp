#pragma once
// Statistics of a two-report comparison on raw per-sample times: Mann–Whitney U (two-sided,
// normal approximation with tie and continuity corrections), a fixed-seed bootstrap interval of
// the ratio of medians, and the Hodges–Lehmann ratio with its distribution-free interval. Every
// result is deterministic.

#include <cstdint>
#include <span>
#include <vector>

namespace suanli::render {

/// The outcome of a Mann–Whitney U test of sample b against sample a.
struct u_test {
  double u = 0;       ///< pairs (a_i, b_j) with b_j > a_i, ties counted 1/2
  double z = 0;       ///< standardized U (positive: b tends to be larger)
  double p_value = 1; ///< two-sided, normal approximation
};

/// Mann–Whitney U of b against a; p_value 1 when either sample is empty or all values tie.
[[nodiscard]] u_test mann_whitney(std::span<const double> a, std::span<const double> b);

/// A ratio b/a with its confidence interval.
struct ratio_interval {
  double estimate = 0; ///< the point estimate of the ratio
  double low = 0;      ///< lower bound of the interval
  double high = 0;     ///< upper bound of the interval
};

/// Hodges–Lehmann ratio b/a of positive samples (times [s]) and its confidence interval at
/// `level` (order statistics of the pairwise log differences at the normal-approximation
/// critical values of U, Lehmann 1975). Samples over `max_samples` are thinned to evenly spaced
/// order statistics so the pairwise set stays small; the result stays deterministic.
[[nodiscard]] ratio_interval hodges_lehmann_ratio(std::span<const double> a,
                                                  std::span<const double> b, double level = 0.95,
                                                  size_t max_samples = 2000);

/// Percentile-bootstrap interval of the ratio of medians median(b) / median(a) at `level`:
/// `resamples` resamplings of both samples with replacement from a fixed-seed generator
/// (std::mt19937_64, `seed`), so the same inputs always give the same interval. `estimate` is
/// the plain ratio of the sample medians.
[[nodiscard]] ratio_interval bootstrap_median_ratio(std::span<const double> a,
                                                    std::span<const double> b, double level = 0.95,
                                                    size_t resamples = 2000,
                                                    uint64_t seed = 0x5ea11u);

/// The median of a sample (mean of the two middle values for an even count); NaN when empty.
[[nodiscard]] double median_of(std::vector<double> values);

/// The geometric mean of positive ratios; NaN when none.
[[nodiscard]] double geometric_mean(std::span<const double> ratios);

/// The two-sided standard-normal quantile for `level` (0.95 -> 1.95996...).
[[nodiscard]] double normal_quantile_two_sided(double level);

} // namespace suanli::render
