// CUDA plugin: cuDNN fused attention (SDPA forward) against an fp64 reference of every output
// element and LSE value: bf16 d=128 causal and not, GQA, MQA, bottom-right causal, fp16 d=64,
// both layouts; refusals and invalid descriptors. Skips with the reason without a device, and
// where cuDNN (libcudnn.so.9) is absent.

#include "gpu_plugin.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <ostream>
#include <string>
#include <tuple>
#include <vector>

namespace suanli::gpu_test {
namespace {

constexpr uint64_t k_seed_q = 101, k_seed_k = 202, k_seed_v = 303;

struct attention_case {
  const char *name;
  sl_dtype dtype;
  int32_t layout, causal;
  int64_t batch, seq_q, seq_kv, heads_q, heads_kv, d;
  bool bottom_right, want_lse;
};

void PrintTo(const attention_case &c, std::ostream *os) {
  *os << c.name;
}

const attention_case k_cases[] = {
    {"bf16_d128_bshd", SL_DTYPE_BF16, SL_LAYOUT_BSHD, 0, 2, 128, 128, 4, 4, 128, false, true},
    {"bf16_d128_bshd_causal", SL_DTYPE_BF16, SL_LAYOUT_BSHD, 1, 2, 128, 128, 4, 4, 128, false,
     true},
    {"bf16_d128_bhsd_gqa_causal", SL_DTYPE_BF16, SL_LAYOUT_BHSD, 1, 2, 96, 160, 8, 2, 128, false,
     true},
    {"bf16_d128_bshd_gqa", SL_DTYPE_BF16, SL_LAYOUT_BSHD, 0, 1, 77, 200, 8, 2, 128, false, true},
    {"bf16_d128_mqa_no_lse", SL_DTYPE_BF16, SL_LAYOUT_BSHD, 0, 2, 64, 64, 4, 1, 128, false, false},
    {"bf16_d128_bottom_right", SL_DTYPE_BF16, SL_LAYOUT_BSHD, 1, 2, 64, 192, 4, 2, 128, true, true},
    {"fp16_d64_bhsd_causal", SL_DTYPE_FP16, SL_LAYOUT_BHSD, 1, 2, 128, 128, 4, 4, 64, false, true},
};

sl_attention_desc make_desc(const attention_case &c) {
  sl_attention_desc d{};
  d.struct_size = sizeof d;
  d.qkv_type = d.o_type = c.dtype;
  d.compute_type = SL_DTYPE_FP32;
  d.layout = c.layout;
  d.causal = c.causal;
  d.batch = c.batch;
  d.seq_q = c.seq_q;
  d.seq_kv = c.seq_kv;
  d.heads_q = c.heads_q;
  d.heads_kv = c.heads_kv;
  d.head_dim_qk = d.head_dim_v = c.d;
  d.causal_offset = c.bottom_right ? c.seq_kv - c.seq_q : 0;
  d.softmax_scale = 1 / std::sqrt(static_cast<double>(c.d));
  d.want_lse = c.want_lse ? 1 : 0;
  return d;
}

int64_t index_of(int32_t layout, int64_t b, int64_t s, int64_t h, int64_t x, int64_t seq,
                 int64_t heads, int64_t dim) {
  return layout == SL_LAYOUT_BSHD ? ((b * seq + s) * heads + h) * dim + x
                                  : ((b * heads + h) * seq + s) * dim + x;
}

// True (with a skip reason) where the plugin has no cuDNN.
bool no_cudnn(sl_status status, const std::string &reason) {
  return status == SL_UNSUPPORTED && reason.find("libcudnn.so.9") != std::string::npos;
}

class gpu_attention : public ::testing::TestWithParam<attention_case> {};

TEST_P(gpu_attention, matches_the_fp64_reference) {
  SUANLI_REQUIRE_GPU();
  const attention_case &c = GetParam();
  const sl_backend_api &plugin = api();
  ASSERT_NE(plugin.attention_plan_create, nullptr) << "the plugin was built without cuDNN";
  context ctx;
  const sl_attention_desc d = make_desc(c);
  sl_attention_plan *plan = nullptr;
  uint64_t ws_bytes = 0;
  const sl_status created = plugin.attention_plan_create(ctx.get(), 0, &d, &plan, &ws_bytes);
  if (no_cudnn(created, ctx.error())) {
    GTEST_SKIP() << ctx.error();
  }
  ASSERT_EQ(created, SL_OK) << ctx.error();
  char text[512] = {};
  ASSERT_EQ(plugin.attention_plan_describe(ctx.get(), plan, text, sizeof text), SL_OK);
  EXPECT_NE(std::string(text).find("engine="), std::string::npos) << text;
  std::printf("%s: %s\n", c.name, text);

  const auto nq = static_cast<uint64_t>(c.batch * c.seq_q * c.heads_q * c.d);
  const auto nk = static_cast<uint64_t>(c.batch * c.seq_kv * c.heads_kv * c.d);
  const auto nl = static_cast<uint64_t>(c.batch * c.heads_q * c.seq_q);
  const size_t es = sl_dtype_size(c.dtype);
  buffer q(ctx, nq * es), k(ctx, nk * es), v(ctx, nk * es), o(ctx, nq * es), lse(ctx, nl * 4);
  buffer ws(ctx, std::max<uint64_t>(ws_bytes, 256));
  o.upload(std::vector<unsigned char>(o.bytes(), 0xff)); // NaN: an element never written shows
  lse.upload(std::vector<unsigned char>(lse.bytes(), 0xff));
  sl_stream *stream = nullptr;
  ASSERT_EQ(plugin.stream_create(ctx.get(), 0, &stream), SL_OK) << ctx.error();
  for (const auto &[buf, n, seed] :
       {std::tuple{&q, nq, k_seed_q}, std::tuple{&k, nk, k_seed_k}, std::tuple{&v, nk, k_seed_v}}) {
    ASSERT_EQ(plugin.fill(ctx.get(), stream, buf->data(), c.dtype, n, seed, SL_FILL_UNIFORM),
              SL_OK);
  }
  ASSERT_EQ(
      plugin.attention_forward(ctx.get(), plan, stream, q.data(), k.data(), v.data(), o.data(),
                               c.want_lse ? static_cast<float *>(lse.data()) : nullptr, ws.data()),
      SL_OK)
      << ctx.error();
  ASSERT_EQ(plugin.stream_sync(ctx.get(), stream), SL_OK) << ctx.error();
  EXPECT_EQ(plugin.stream_destroy(ctx.get(), stream), SL_OK);
  EXPECT_EQ(plugin.attention_plan_destroy(ctx.get(), plan), SL_OK);
  const std::vector<unsigned char> got_o = o.copy(), got_lse = lse.copy();

  const int64_t group = c.heads_q / c.heads_kv;
  std::vector<double> p(static_cast<size_t>(c.seq_kv)), ref(static_cast<size_t>(c.d));
  int64_t wrong = 0, wrong_lse = 0;
  double max_err = 0, max_lse_err = 0;
  const auto in = [&](uint64_t seed, int64_t i) {
    return sl_fill_value(seed, static_cast<uint64_t>(i), c.dtype);
  };
  for (int64_t b = 0; b < c.batch; ++b) {
    for (int64_t h = 0; h < c.heads_q; ++h) {
      for (int64_t i = 0; i < c.seq_q; ++i) {
        const int64_t offset = c.bottom_right ? c.seq_kv - c.seq_q : 0;
        const int64_t keys =
            c.causal != 0 ? std::clamp<int64_t>(i + offset + 1, 0, c.seq_kv) : c.seq_kv;
        double mx = -INFINITY, l = 0;
        for (int64_t j = 0; j < keys; ++j) {
          double s = 0;
          for (int64_t x = 0; x < c.d; ++x) {
            s += in(k_seed_q, index_of(c.layout, b, i, h, x, c.seq_q, c.heads_q, c.d)) *
                 in(k_seed_k, index_of(c.layout, b, j, h / group, x, c.seq_kv, c.heads_kv, c.d));
          }
          p[j] = s * d.softmax_scale;
          mx = std::max(mx, p[j]);
        }
        std::fill(ref.begin(), ref.end(), 0.0);
        for (int64_t j = 0; j < keys; ++j) {
          p[j] = std::exp(p[j] - mx);
          l += p[j];
        }
        for (int64_t j = 0; j < keys; ++j) {
          for (int64_t x = 0; x < c.d; ++x) {
            ref[x] +=
                p[j] / l *
                in(k_seed_v, index_of(c.layout, b, j, h / group, x, c.seq_kv, c.heads_kv, c.d));
          }
        }
        for (int64_t x = 0; x < c.d; ++x) {
          const double got = decode(got_o.data(), c.dtype,
                                    index_of(c.layout, b, i, h, x, c.seq_q, c.heads_q, c.d));
          const double err = std::fabs(got - ref[x]);
          wrong += err <= 1e-2 * std::fabs(ref[x]) + 4e-3 ? 0 : 1; // bf16 P and O; NaN is wrong
          max_err = std::isnan(err) ? INFINITY : std::max(max_err, err);
        }
        if (c.want_lse) {
          const double ref_lse = mx + std::log(l);
          const double err =
              std::fabs(decode(got_lse.data(), SL_DTYPE_FP32,
                               static_cast<uint64_t>((b * c.heads_q + h) * c.seq_q + i)) -
                        ref_lse);
          wrong_lse += err <= 1e-4 * (1 + std::fabs(ref_lse)) ? 0 : 1;
          max_lse_err = std::isnan(err) ? INFINITY : std::max(max_lse_err, err);
        }
      }
    }
  }
  EXPECT_EQ(wrong, 0) << "max |O - ref| = " << max_err;
  EXPECT_EQ(wrong_lse, 0) << "max |LSE - ref| = " << max_lse_err;
}

INSTANTIATE_TEST_SUITE_P(cudnn, gpu_attention, ::testing::ValuesIn(k_cases),
                         [](const auto &param_info) { return std::string(param_info.param.name); });

TEST(gpu_attention_plan, refusals_and_invalid_descriptors) {
  SUANLI_REQUIRE_GPU();
  const sl_backend_api &plugin = api();
  ASSERT_NE(plugin.attention_plan_create, nullptr);
  context ctx;
  sl_attention_plan *plan = nullptr;
  uint64_t ws = 0;
  sl_attention_desc d = make_desc(k_cases[0]);
  d.qkv_type = d.o_type = SL_DTYPE_FP32;
  EXPECT_EQ(plugin.attention_plan_create(ctx.get(), 0, &d, &plan, &ws), SL_UNSUPPORTED);
  EXPECT_NE(ctx.error().find("fp16/bf16"), std::string::npos) << ctx.error();
  d = make_desc(k_cases[1]);
  d.causal_offset = 3;
  EXPECT_EQ(plugin.attention_plan_create(ctx.get(), 0, &d, &plan, &ws), SL_UNSUPPORTED);
  EXPECT_NE(ctx.error().find("causal_offset"), std::string::npos) << ctx.error();
  d = make_desc(k_cases[0]);
  d.heads_kv = 3;
  EXPECT_EQ(plugin.attention_plan_create(ctx.get(), 0, &d, &plan, &ws), SL_INVALID_ARGUMENT);
  EXPECT_EQ(plugin.attention_plan_create(ctx.get(), 0, nullptr, &plan, &ws), SL_INVALID_ARGUMENT);
  EXPECT_EQ(plan, nullptr);
  EXPECT_EQ(plugin.attention_plan_destroy(ctx.get(), reinterpret_cast<sl_attention_plan *>(&d)),
            SL_INVALID_ARGUMENT);
  char text[2048] = {};
  ASSERT_EQ(plugin.library_versions(ctx.get(), text, sizeof text), SL_OK) << ctx.error();
  EXPECT_NE(std::string(text).find("cuDNN="), std::string::npos) << text;
}

} // namespace
} // namespace suanli::gpu_test
