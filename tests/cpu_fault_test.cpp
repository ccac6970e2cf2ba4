// CPU plugin: SUANLI_CPU_FAULT=corrupt_gemm_output changes exactly one output element.

#include "cpu_plugin.hpp"

#include <cmath>
#include <cstdlib>

namespace suanli::cpu_test {
namespace {

// Sets an environment variable for the scope (the plugin reads it at init only).
class scoped_env {
public:
  scoped_env(const char *name, const char *value) : name_(name) { setenv(name, value, 1); }
  ~scoped_env() { unsetenv(name_); }
  scoped_env(const scoped_env &) = delete;
  scoped_env &operator=(const scoped_env &) = delete;

private:
  const char *name_;
};

struct fault_case {
  const char *name;
  sl_dtype a, b, c, compute;
  double delta; // what the fault adds
};

class cpu_fault : public ::testing::TestWithParam<fault_case> {};

TEST_P(cpu_fault, corrupts_exactly_element_m_half_n_half_of_batch_entry_0) {
  const fault_case &f = GetParam();
  const gemm_case c{f.a, f.b, f.c, f.compute, 37, 53, 29, 0, 1, 2, 2, 1.0, 0.0};
  context clean;
  const gemm_outcome good = run_gemm(clean, c);
  ASSERT_EQ(good.status, SL_OK) << good.reason;
  ASSERT_EQ(good.wrong, 0);

  const scoped_env env("SUANLI_CPU_FAULT", "corrupt_gemm_output");
  context faulty;
  const gemm_outcome bad = run_gemm(faulty, c);
  ASSERT_EQ(bad.status, SL_OK) << bad.reason;
  EXPECT_EQ(bad.wrong, 1);
  ASSERT_EQ(bad.output.size(), good.output.size());
  int64_t differing = 0;
  for (size_t i = 0; i < good.output.size(); ++i) {
    if (good.output[i] != bad.output[i]) {
      ++differing;
      EXPECT_EQ(static_cast<int64_t>(i), (c.m / 2) * c.n + c.n / 2);
      EXPECT_NEAR(bad.output[i] - good.output[i], f.delta, f.delta * 0x1p-7);
    }
  }
  EXPECT_EQ(differing, 1);
}

INSTANTIATE_TEST_SUITE_P(
    dtypes, cpu_fault,
    ::testing::Values(
        fault_case{"fp32", SL_DTYPE_FP32, SL_DTYPE_FP32, SL_DTYPE_FP32, SL_DTYPE_FP32, 1024},
        fault_case{"bf16", SL_DTYPE_BF16, SL_DTYPE_BF16, SL_DTYPE_BF16, SL_DTYPE_FP32, 1024},
        fault_case{"int8", SL_DTYPE_UINT8, SL_DTYPE_INT8, SL_DTYPE_INT32, SL_DTYPE_INT32, 1},
        fault_case{"fp64", SL_DTYPE_FP64, SL_DTYPE_FP64, SL_DTYPE_FP64, SL_DTYPE_FP64, 1024}),
    [](const ::testing::TestParamInfo<fault_case> &param_info) { return param_info.param.name; });

TEST(cpu_fault_env, an_unknown_fault_name_makes_init_fail) {
  const scoped_env env("SUANLI_CPU_FAULT", "corrupt_everything");
  sl_context *ctx = nullptr;
  EXPECT_EQ(api().init(nullptr, &ctx), SL_INVALID_ARGUMENT);
  EXPECT_EQ(ctx, nullptr);
  EXPECT_NE(std::string(api().last_error(nullptr)).find("corrupt_everything"), std::string::npos);
}

} // namespace
} // namespace suanli::cpu_test
