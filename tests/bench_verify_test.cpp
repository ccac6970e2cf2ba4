#include <bench/error.hpp>
#include <bench/gemm_verify.hpp>
#include <kernels/reference/element.hpp>
#include <kernels/reference/gemm.hpp>

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

namespace suanli::bench {
namespace {

namespace ref = suanli::reference;

gemm_problem make(std::string_view precision, int64_t m, int64_t n, int64_t k, int64_t batch = 1,
                  bool ta = false, bool tb = false) {
  gemm_problem g;
  g.precision = find_gemm_precision(precision);
  g.m = m;
  g.n = n;
  g.k = k;
  g.batch = batch;
  g.trans_a = ta;
  g.trans_b = tb;
  return g;
}

// C computed exactly (fp64 accumulate) and rounded once into the output type, as a correct
// backend would produce up to its own rounding.
std::vector<std::byte> reference_output(const gemm_problem &g, const tensor_seeds &s) {
  std::vector<std::byte> c(g.bytes_c());
  const sl_gemm_desc d = g.to_desc();
  ref::gemm(d, {d.a_type, nullptr, s.a}, {d.b_type, nullptr, s.b}, c.data());
  return c;
}

struct verify_case {
  std::string precision;
  int64_t m, n, k, batch;
  bool ta, tb;
};

class verify_gemm_test : public ::testing::TestWithParam<verify_case> {};

TEST_P(verify_gemm_test, correct_output_passes_and_one_wrong_element_fails) {
  const auto &p = GetParam();
  const auto g = make(p.precision, p.m, p.n, p.k, p.batch, p.ta, p.tb);
  const tensor_seeds seeds{0x1234, 0x5678};
  auto c = reference_output(g, seeds);
  const auto ok = verify_gemm(g, seeds, c, 42);
  EXPECT_TRUE(ok.passed) << ok.first_failure;
  EXPECT_EQ(ok.rows_checked, g.m * 3 * g.batch);
  EXPECT_EQ(ok.elements_checked, 256);

  // Corrupt one element of the last batch entry by one unit of its magnitude scale.
  const sl_gemm_desc d = g.to_desc();
  const int64_t idx = ref::index_c(d, g.batch - 1, g.m / 2, g.n / 3);
  const double v = ref::load(c.data(), d.c_type, idx);
  ref::store(c.data(), d.c_type, idx, v + (d.c_type == SL_DTYPE_INT32 ? 1.0 : 4.0));
  const auto bad = verify_gemm(g, seeds, c, 42);
  EXPECT_FALSE(bad.passed);
  EXPECT_GE(bad.rows_failed, 1);
  EXPECT_NE(bad.first_failure.find("row " + std::to_string(g.m / 2)), std::string::npos)
      << bad.first_failure;
}

INSTANTIATE_TEST_SUITE_P(precisions, verify_gemm_test,
                         ::testing::Values(verify_case{"fp32", 64, 48, 200, 1, false, false},
                                           verify_case{"fp32", 37, 53, 29, 2, true, true},
                                           verify_case{"fp64", 33, 40, 77, 1, false, true},
                                           verify_case{"bf16", 64, 64, 256, 1, false, false},
                                           verify_case{"fp16", 50, 31, 64, 3, true, false},
                                           verify_case{"int8", 41, 43, 47, 2, false, false}),
                         [](const auto &param_info) {
                           return param_info.param.precision + "_" +
                                  std::to_string(param_info.param.m) + "x" +
                                  std::to_string(param_info.param.n) + "x" +
                                  std::to_string(param_info.param.k);
                         });

TEST(verify_gemm, skipped_work_fails_freivalds) {
  // Half of K left out: every element is off by a lot.
  const auto g = make("fp32", 32, 32, 64);
  const tensor_seeds seeds{7, 8};
  auto half = g;
  half.k = 32;
  // Same A and B storage (row-major, K-major): compute with k = 32 but lda/ldb of 64.
  half.lda = 64;
  auto c = std::vector<std::byte>(g.bytes_c());
  const sl_gemm_desc d = half.to_desc();
  ref::gemm(d, {d.a_type, nullptr, seeds.a}, {d.b_type, nullptr, seeds.b}, c.data());
  const auto v = verify_gemm(g, seeds, c, 1);
  EXPECT_FALSE(v.passed);
  EXPECT_GT(v.rows_failed, 80); // nearly all 96 rows
}

TEST(verify_gemm, uniformly_scaled_output_fails_the_scale_test) {
  // 0.6% too large everywhere: inside each row's bf16 tolerance, not inside the slope's.
  const auto g = make("bf16", 64, 64, 256);
  const tensor_seeds seeds{11, 12};
  auto c = reference_output(g, seeds);
  const sl_gemm_desc d = g.to_desc();
  for (int64_t i = 0; i < g.m * g.n; ++i) {
    ref::store(c.data(), d.c_type, i, ref::load(c.data(), d.c_type, i) * 1.006);
  }
  const auto v = verify_gemm(g, seeds, c, 5);
  EXPECT_FALSE(v.passed);
  EXPECT_EQ(v.rows_failed, 0) << "the rows alone would not see it";
  EXPECT_NEAR(v.scale_error, 0.006, 0.002);
  EXPECT_GT(std::fabs(v.scale_error), v.scale_tolerance);
  EXPECT_NE(v.first_failure.find("scaled"), std::string::npos) << v.first_failure;
}

TEST(verify_gemm, fp32_computed_in_bf16_is_caught) {
  // Inputs carry 20 significant bits: rounding them to bf16 (a silent downgrade) shows.
  const auto g = make("fp32", 48, 40, 128);
  const tensor_seeds seeds{21, 22};
  std::vector<std::byte> c(g.bytes_c());
  const sl_gemm_desc d = g.to_desc();
  for (int64_t i = 0; i < g.m; ++i) {
    for (int64_t j = 0; j < g.n; ++j) {
      double acc = 0;
      for (int64_t kk = 0; kk < g.k; ++kk) {
        const auto bf = [](double x) {
          return static_cast<double>(ref::bf16_to_float(ref::float_to_bf16(static_cast<float>(x))));
        };
        acc +=
            bf(sl_fill_value(seeds.a, static_cast<uint64_t>(ref::index_a(d, 0, i, kk)), d.a_type)) *
            bf(sl_fill_value(seeds.b, static_cast<uint64_t>(ref::index_b(d, 0, kk, j)), d.b_type));
      }
      ref::store(c.data(), d.c_type, ref::index_c(d, 0, i, j), acc);
    }
  }
  EXPECT_FALSE(verify_gemm(g, seeds, c, 5).passed);
}

TEST(verify_gemm, an_infinite_element_fails) {
  const auto g = make("fp32", 16, 16, 16);
  const tensor_seeds seeds{1, 2};
  auto c = reference_output(g, seeds);
  ref::store(c.data(), SL_DTYPE_FP32, 7, std::numeric_limits<double>::infinity());
  const auto v = verify_gemm(g, seeds, c, 3);
  EXPECT_FALSE(v.passed);
  EXPECT_GE(v.rows_failed, 1);
}

TEST(verify_gemm, nan_output_fails) {
  const auto g = make("fp32", 16, 16, 16);
  const tensor_seeds seeds{1, 2};
  auto c = reference_output(g, seeds);
  ref::store(c.data(), SL_DTYPE_FP32, 5, std::nan(""));
  EXPECT_FALSE(verify_gemm(g, seeds, c, 3).passed);
}

TEST(verify_gemm, short_output_buffer_is_an_error) {
  const auto g = make("fp32", 16, 16, 16);
  std::vector<std::byte> c(10);
  EXPECT_THROW((void)verify_gemm(g, {1, 2}, c, 3), error);
}

} // namespace
} // namespace suanli::bench
