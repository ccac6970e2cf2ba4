// compare statistics: Mann-Whitney U, Hodges-Lehmann ratio CI, medians, geometric means.
#include <render/compare_stats.hpp>

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace suanli::render {
namespace {

TEST(render_stats, mann_whitney_counts_pairs_with_ties_as_halves) {
  // b=3: 2 pairs above (1, 2) + tie with 3 = 2.5; b=5, 6, 7: 4 each -> 14.5
  const std::vector<double> a = {1, 2, 3, 4}, b = {3, 5, 6, 7};
  const auto t = mann_whitney(a, b);
  EXPECT_DOUBLE_EQ(t.u, 14.5);
  EXPECT_GT(t.z, 0);
  EXPECT_LT(t.p_value, 0.1);
}

TEST(render_stats, mann_whitney_of_separated_samples_matches_the_normal_approximation) {
  const std::vector<double> a = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10},
                            b = {11, 12, 13, 14, 15, 16, 17, 18, 19, 20};
  const auto t = mann_whitney(a, b);
  EXPECT_DOUBLE_EQ(t.u, 100);
  // mean 50, var = 100 * 21 / 12 = 175, z = (100 - 50 - 0.5) / sqrt(175)
  EXPECT_NEAR(t.z, 49.5 / std::sqrt(175.0), 1e-12);
  EXPECT_NEAR(t.p_value, std::erfc(t.z / std::sqrt(2.0)), 1e-15);
  EXPECT_LT(t.p_value, 2e-4);
  EXPECT_DOUBLE_EQ(mann_whitney(b, a).u, 0);
}

TEST(render_stats, identical_samples_are_not_significant) {
  const std::vector<double> a = {1, 2, 3, 4, 5};
  const auto t = mann_whitney(a, a);
  EXPECT_DOUBLE_EQ(t.u, 12.5);
  EXPECT_DOUBLE_EQ(t.p_value, 1.0);
  EXPECT_DOUBLE_EQ(mann_whitney({}, a).p_value, 1.0);
  const std::vector<double> same = {2, 2, 2};
  EXPECT_DOUBLE_EQ(mann_whitney(same, same).p_value, 1.0);
}

TEST(render_stats, hodges_lehmann_ratio_and_ci_of_a_known_case) {
  // log2 differences j - i + 1 over a 5 x 5 grid; C = floor(12.5 - 1.96 sqrt(25 * 11 / 12)) = 3,
  // so the CI is the 4th smallest and 4th largest difference: 2^-1 and 2^3; the median is 2^1.
  const std::vector<double> a = {1, 2, 4, 8, 16}, b = {2, 4, 8, 16, 32};
  const auto r = hodges_lehmann_ratio(a, b);
  EXPECT_NEAR(r.estimate, 2.0, 1e-12);
  EXPECT_NEAR(r.low, 0.5, 1e-12);
  EXPECT_NEAR(r.high, 8.0, 1e-12);
}

TEST(render_stats, hodges_lehmann_is_deterministic_and_thins_large_samples) {
  std::vector<double> a, b;
  for (int i = 0; i < 5000; ++i) {
    a.push_back(1.0 + 0.001 * (i % 97));
    b.push_back(1.1 * (1.0 + 0.001 * (i % 89)));
  }
  const auto r1 = hodges_lehmann_ratio(a, b), r2 = hodges_lehmann_ratio(a, b);
  EXPECT_EQ(r1.estimate, r2.estimate);
  EXPECT_EQ(r1.low, r2.low);
  EXPECT_LT(r1.low, r1.estimate);
  EXPECT_GT(r1.high, r1.estimate);
  EXPECT_GT(r1.low, 1.0); // clearly slower by about 10%
  EXPECT_NEAR(r1.estimate, 1.1, 0.01);
}

TEST(render_stats, bootstrap_ratio_of_medians_is_exact_for_constant_samples) {
  const std::vector<double> a(7, 1.0), b(9, 2.0);
  const auto r = bootstrap_median_ratio(a, b);
  EXPECT_DOUBLE_EQ(r.estimate, 2.0);
  EXPECT_DOUBLE_EQ(r.low, 2.0);
  EXPECT_DOUBLE_EQ(r.high, 2.0);
}

TEST(render_stats, bootstrap_ratio_is_deterministic_and_brackets_the_ratio_of_medians) {
  std::vector<double> a, b;
  for (int i = 1; i <= 41; ++i) {
    a.push_back(i);
    b.push_back(2.0 * i);
  }
  const auto r1 = bootstrap_median_ratio(a, b), r2 = bootstrap_median_ratio(a, b);
  EXPECT_DOUBLE_EQ(r1.estimate, 2.0); // 42 / 21
  EXPECT_EQ(r1.low, r2.low);
  EXPECT_EQ(r1.high, r2.high);
  EXPECT_LT(r1.low, 2.0);
  EXPECT_GT(r1.high, 2.0);
  EXPECT_GT(r1.low, 1.2);
  EXPECT_LT(r1.high, 3.5);
  const auto other_seed = bootstrap_median_ratio(a, b, 0.95, 2000, 7);
  EXPECT_NE(other_seed.low + other_seed.high, r1.low + r1.high);
}

TEST(render_stats, medians_geometric_means_and_the_normal_quantile) {
  EXPECT_DOUBLE_EQ(median_of({3, 1, 2}), 2);
  EXPECT_DOUBLE_EQ(median_of({4, 1, 2, 3}), 2.5);
  EXPECT_TRUE(std::isnan(median_of({})));
  const std::vector<double> r = {2, 8};
  EXPECT_NEAR(geometric_mean(r), 4, 1e-12);
  EXPECT_TRUE(std::isnan(geometric_mean(std::vector<double>{})));
  EXPECT_NEAR(normal_quantile_two_sided(0.95), 1.959963985, 1e-8);
}

} // namespace
} // namespace suanli::render
