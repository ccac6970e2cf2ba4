// CPU plugin: rated and measured peaks exist for fp32 and fp64 and explain themselves.

#include "cpu_plugin.hpp"

namespace suanli::cpu_test {
namespace {

TEST(cpu_peak, rated_peak_is_positive_and_states_its_formula) {
  context ctx;
  double fp32 = 0, fp64 = 0;
  char source[512] = {};
  ASSERT_EQ(api().rated_peak(ctx.get(), 0, SL_DTYPE_FP32, &fp32, source, sizeof source), SL_OK)
      << ctx.error();
  EXPECT_GT(fp32, 0);
  EXPECT_NE(std::string(source).find("MHz"), std::string::npos) << source;
  EXPECT_NE(std::string(source).find("FLOP/cycle"), std::string::npos) << source;
  ASSERT_EQ(api().rated_peak(ctx.get(), 0, SL_DTYPE_FP64, &fp64, source, sizeof source), SL_OK);
  EXPECT_GT(fp64, 0);
  EXPECT_DOUBLE_EQ(fp32, 2 * fp64);
}

TEST(cpu_peak, tf32_and_fp8_have_no_rated_peak) {
  context ctx;
  double rate = 0;
  char source[256] = {};
  EXPECT_EQ(api().rated_peak(ctx.get(), 0, SL_DTYPE_TF32, &rate, source, sizeof source),
            SL_UNSUPPORTED);
  EXPECT_NE(ctx.error().find("TF32"), std::string::npos) << ctx.error();
  EXPECT_EQ(api().rated_peak(ctx.get(), 0, SL_DTYPE_FP8_E5M2, &rate, source, sizeof source),
            SL_UNSUPPORTED);
  EXPECT_FALSE(ctx.error().empty());
  EXPECT_EQ(api().measure_peak(ctx.get(), 0, SL_DTYPE_TF32, &rate, source, sizeof source),
            SL_UNSUPPORTED);
  EXPECT_FALSE(ctx.error().empty());
}

TEST(cpu_peak, measure_peak_is_positive_and_states_its_method) {
  context ctx;
  for (const sl_dtype dtype : {SL_DTYPE_FP32, SL_DTYPE_FP64}) {
    double rate = 0;
    char method[512] = {};
    ASSERT_EQ(api().measure_peak(ctx.get(), 0, dtype, &rate, method, sizeof method), SL_OK)
        << ctx.error();
    EXPECT_GT(rate, 0);
    EXPECT_NE(std::string(method).find("thread"), std::string::npos) << method;
  }
}

} // namespace
} // namespace suanli::cpu_test
