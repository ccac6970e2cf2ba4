#include <bench/stats.hpp>

#include <gtest/gtest.h>

#include <vector>

namespace suanli::bench {
namespace {

TEST(median_ci, small_samples_fall_back_to_min_max_with_true_coverage) {
  const auto r = median_ci(5);
  EXPECT_EQ(r.lower_rank, 1);
  EXPECT_EQ(r.upper_rank, 5);
  EXPECT_NEAR(r.coverage, 1.0 - 2.0 / 32.0, 1e-12); // 0.9375 < 0.95
}

TEST(median_ci, exact_binomial_ranks_match_tables) {
  // n = 6: [x(1), x(6)] covers 1 - 2/64 = 0.96875.
  EXPECT_EQ(median_ci(6).lower_rank, 1);
  // n = 20: j = 6 (coverage 0.9586), n = 100: j = 40 (coverage 0.9648).
  EXPECT_EQ(median_ci(20).lower_rank, 6);
  EXPECT_EQ(median_ci(20).upper_rank, 15);
  EXPECT_EQ(median_ci(100).lower_rank, 40);
  EXPECT_EQ(median_ci(100).upper_rank, 61);
  EXPECT_GE(median_ci(100).coverage, 0.95);
}

TEST(median_ci, normal_approximation_continues_the_exact_ranks) {
  const auto exact = median_ci(2000);
  const auto approx = median_ci(2001);
  EXPECT_NEAR(static_cast<double>(approx.lower_rank), static_cast<double>(exact.lower_rank), 2.0);
}

TEST(summarize, statistics_of_a_known_sample) {
  const std::vector<double> x{5, 1, 4, 2, 3, 6, 7, 8, 9, 10};
  const auto s = summarize(x);
  EXPECT_EQ(s.count, 10);
  EXPECT_DOUBLE_EQ(s.median, 5.5);
  EXPECT_DOUBLE_EQ(s.min, 1);
  EXPECT_DOUBLE_EQ(s.max, 10);
  EXPECT_DOUBLE_EQ(s.mean, 5.5);
  EXPECT_NEAR(s.stddev, 3.0276503540974917, 1e-12);
  EXPECT_NEAR(s.cov, 3.0276503540974917 / 5.5, 1e-12);
  EXPECT_DOUBLE_EQ(s.p5, 1.45);
  EXPECT_DOUBLE_EQ(s.p95, 9.55);
  // n = 10: j = 2 -> [x(2), x(9)] with coverage 0.9785
  EXPECT_DOUBLE_EQ(s.ci_low, 2);
  EXPECT_DOUBLE_EQ(s.ci_high, 9);
  EXPECT_NEAR(s.ci_level, 0.978515625, 1e-9);
}

TEST(summarize, empty_sample_is_all_zero) {
  const auto s = summarize(std::vector<double>{});
  EXPECT_EQ(s.count, 0);
  EXPECT_EQ(s.median, 0);
}

TEST(harmonic_mean, of_rates) {
  const std::vector<double> r{1, 2, 4};
  EXPECT_NEAR(harmonic_mean(r), 3.0 / (1 + 0.5 + 0.25), 1e-12);
  EXPECT_EQ(harmonic_mean(std::vector<double>{}), 0.0);
}

} // namespace
} // namespace suanli::bench
