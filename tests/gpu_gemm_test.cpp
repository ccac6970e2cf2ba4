// CUDA plugin: cuBLASLt GEMM against a naive double reference for every precision over odd
// shapes, all transposes, padded leading dimensions, batches and scalars.

#include "gpu_plugin.hpp"

namespace suanli::gpu_test {
namespace {

struct dtypes {
  const char *name;
  sl_dtype a, b, c, compute;
  double alpha, beta; // for the padded, batched layout (exact in every output type)
  bool tn_only;       // cuBLASLt may refuse layouts other than its "TN" (int8, fp8)
};

constexpr dtypes k_dtypes[] = {
    {"fp64", SL_DTYPE_FP64, SL_DTYPE_FP64, SL_DTYPE_FP64, SL_DTYPE_FP64, 1.5, -0.75, false},
    {"fp32", SL_DTYPE_FP32, SL_DTYPE_FP32, SL_DTYPE_FP32, SL_DTYPE_FP32, 1.5, -0.75, false},
    {"tf32", SL_DTYPE_FP32, SL_DTYPE_FP32, SL_DTYPE_FP32, SL_DTYPE_TF32, 1.5, -0.75, false},
    {"bf16", SL_DTYPE_BF16, SL_DTYPE_BF16, SL_DTYPE_BF16, SL_DTYPE_FP32, 1.5, -0.75, false},
    {"bf16_fp32out", SL_DTYPE_BF16, SL_DTYPE_BF16, SL_DTYPE_FP32, SL_DTYPE_FP32, 1.5, -0.75, false},
    {"fp16", SL_DTYPE_FP16, SL_DTYPE_FP16, SL_DTYPE_FP16, SL_DTYPE_FP32, 1.5, -0.75, false},
    {"int8", SL_DTYPE_INT8, SL_DTYPE_INT8, SL_DTYPE_INT32, SL_DTYPE_INT32, 2.0, -1.0, true},
    {"fp8_e4m3_bf16", SL_DTYPE_FP8_E4M3, SL_DTYPE_FP8_E4M3, SL_DTYPE_BF16, SL_DTYPE_FP32, 1.5,
     -0.75, true},
    {"fp8_e4m3_fp32", SL_DTYPE_FP8_E4M3, SL_DTYPE_FP8_E4M3, SL_DTYPE_FP32, SL_DTYPE_FP32, 1.5,
     -0.75, true},
    {"fp8_e4m3_e5m2", SL_DTYPE_FP8_E4M3, SL_DTYPE_FP8_E5M2, SL_DTYPE_BF16, SL_DTYPE_FP32, 1.5,
     -0.75, true},
    {"fp8_e5m2_e4m3", SL_DTYPE_FP8_E5M2, SL_DTYPE_FP8_E4M3, SL_DTYPE_BF16, SL_DTYPE_FP32, 1.5,
     -0.75, true},
    {"fp8_e4m3_fp16", SL_DTYPE_FP8_E4M3, SL_DTYPE_FP8_E4M3, SL_DTYPE_FP16, SL_DTYPE_FP32, 1.5,
     -0.75, true},
};

struct layout {
  const char *name;
  int32_t trans_a, trans_b;
  bool padded;  // pad 3, batch 3, the dtype's alpha and beta; else dense, batch 1, 1 and 0
  bool aligned; // m = n = k = 64 (every alignment cuBLASLt asks for) instead of 37 x 53 x 29
};

gemm_case make_case(const dtypes &t, const layout &l) {
  const int64_t m = l.aligned ? 64 : 37, n = l.aligned ? 64 : 53, k = l.aligned ? 64 : 29;
  return {t.a,
          t.b,
          t.c,
          t.compute,
          m,
          n,
          k,
          l.trans_a,
          l.trans_b,
          l.padded ? (l.aligned ? 16 : 3) : 0,
          l.padded ? 3 : 1,
          l.padded ? t.alpha : 1.0,
          l.padded ? t.beta : 0.0};
}

constexpr layout k_layouts[] = {{"nn", 0, 0, false, false},
                                {"nt", 0, 1, false, false},
                                {"tn", 1, 0, false, false},
                                {"tt", 1, 1, false, false},
                                {"nn_padded_batch", 0, 0, true, false},
                                {"nt_padded_batch", 0, 1, true, false},
                                {"tn_padded_batch", 1, 0, true, false},
                                {"tt_padded_batch", 1, 1, true, false},
                                {"nt_aligned", 0, 1, false, true},
                                {"nt_aligned_padded_batch", 0, 1, true, true}};

class gpu_gemm : public ::testing::TestWithParam<std::tuple<dtypes, layout>> {};

TEST_P(gpu_gemm, matches_the_double_reference) {
  SUANLI_REQUIRE_GPU();
  const auto &[t, l] = GetParam();
  context ctx;
  const gemm_case c = make_case(t, l);
  const gemm_outcome out = run_gemm(ctx, c);
  if (out.status == SL_UNSUPPORTED && t.tn_only && !(l.aligned && l.trans_b == 1)) {
    // Allowed: cuBLASLt's int8 and fp8 GEMMs need its "TN" layout and aligned dimensions.
    EXPECT_FALSE(out.reason.empty());
    GTEST_SKIP() << "unsupported, as cuBLASLt may answer: " << out.reason;
  }
  ASSERT_EQ(out.status, SL_OK) << out.reason;
  EXPECT_FALSE(out.describe.empty());
  EXPECT_EQ(out.checked, c.m * c.n * c.batch);
  EXPECT_EQ(out.wrong, 0) << "max error " << out.max_error << " (" << out.describe << ")";
  EXPECT_EQ(out.padding_changed, 0) << "bytes of C outside the output were written";
  std::cout << "[ plan     ] " << out.describe << "\n";
}

INSTANTIATE_TEST_SUITE_P(
    shapes, gpu_gemm,
    ::testing::Combine(::testing::ValuesIn(k_dtypes), ::testing::ValuesIn(k_layouts)),
    [](const ::testing::TestParamInfo<std::tuple<dtypes, layout>> &param_info) {
      return std::string(std::get<0>(param_info.param).name) + "_" +
             std::get<1>(param_info.param).name;
    });

// fp32 is true fp32: a TF32 substitution would leave errors near 1e-3 with these inputs
// (20 significant bits each), fp32 accumulation below 1e-5.
TEST(gpu_gemm_fp32, is_not_computed_in_tf32) {
  SUANLI_REQUIRE_GPU();
  context ctx;
  const gemm_case fp32{SL_DTYPE_FP32,
                       SL_DTYPE_FP32,
                       SL_DTYPE_FP32,
                       SL_DTYPE_FP32,
                       64,
                       64,
                       256,
                       0,
                       0,
                       0,
                       1,
                       1.0,
                       0.0};
  const gemm_outcome exact = run_gemm(ctx, fp32);
  ASSERT_EQ(exact.status, SL_OK) << exact.reason;
  EXPECT_LT(exact.max_error, 0x1p-15) << exact.describe;
  gemm_case tf32 = fp32;
  tf32.compute = SL_DTYPE_TF32;
  const gemm_outcome fast = run_gemm(ctx, tf32);
  ASSERT_EQ(fast.status, SL_OK) << fast.reason;
  EXPECT_GT(fast.max_error, 0x1p-15) << "TF32 should differ from fp32 here: " << fast.describe;
}

} // namespace
} // namespace suanli::gpu_test
