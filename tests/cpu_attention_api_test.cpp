// CPU plugin attention: descriptor validation, unsupported combinations with reasons, forward
// argument checks, describe, workspace size, and SUANLI_CPU_FAULT / SUANLI_CPU_ISA at init.

#include "cpu_attention.hpp"

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <functional>

namespace suanli::cpu_test {
namespace {

const attention_case k_base{"", SL_DTYPE_FP32, SL_LAYOUT_BSHD, 0, 1, 40, 40, 4, 2, 64, 0};

// plan_create on a modified base descriptor: status, reason
std::pair<sl_status, std::string> create(const std::function<void(sl_attention_desc &)> &edit) {
  context ctx;
  sl_attention_desc d = make_attention_desc(k_base);
  edit(d);
  sl_attention_plan *plan = nullptr;
  uint64_t ws = 0;
  const sl_status s = api().attention_plan_create(ctx.get(), 0, &d, &plan, &ws);
  if (s == SL_OK) {
    EXPECT_EQ(api().attention_plan_destroy(ctx.get(), plan), SL_OK);
    return {s, ""};
  }
  EXPECT_EQ(plan, nullptr);
  return {s, ctx.error()};
}

TEST(cpu_attention_api, invalid_descriptors_are_refused_with_a_reason) {
  const std::pair<const char *, std::function<void(sl_attention_desc &)>> edits[] = {
      {"struct_size", [](sl_attention_desc &d) { d.struct_size = 8; }},
      {"batch", [](sl_attention_desc &d) { d.batch = 0; }},
      {"seq_q", [](sl_attention_desc &d) { d.seq_q = 0; }},
      {"seq_kv", [](sl_attention_desc &d) { d.seq_kv = -1; }},
      {"heads_q", [](sl_attention_desc &d) { d.heads_q = 0; }},
      {"heads_kv", [](sl_attention_desc &d) { d.heads_kv = 0; }},
      {"head_dim_qk", [](sl_attention_desc &d) { d.head_dim_qk = 0; }},
      {"not a multiple", [](sl_attention_desc &d) { d.heads_kv = 3; }},
      {"layout", [](sl_attention_desc &d) { d.layout = 2; }},
      {"causal", [](sl_attention_desc &d) { d.causal = 2; }},
      {"want_lse", [](sl_attention_desc &d) { d.want_lse = -1; }},
      {"reserved", [](sl_attention_desc &d) { d.reserved = 1; }},
      {"softmax_scale", [](sl_attention_desc &d) { d.softmax_scale = 0; }},
      {"softmax_scale", [](sl_attention_desc &d) { d.softmax_scale = -0.125; }},
      {"softmax_scale", [](sl_attention_desc &d) { d.softmax_scale = NAN; }},
      {"softmax_scale", [](sl_attention_desc &d) { d.softmax_scale = INFINITY; }},
      {"sl_dtype", [](sl_attention_desc &d) { d.qkv_type = SL_DTYPE_INVALID; }},
      {"2^52", [](sl_attention_desc &d) { d.seq_q = d.seq_kv = int64_t{1} << 50; }},
  };
  for (const auto &[word, edit] : edits) {
    const auto [status, reason] = create(edit);
    EXPECT_EQ(status, SL_INVALID_ARGUMENT) << word;
    EXPECT_NE(reason.find(word), std::string::npos) << word << ": " << reason;
  }
  context ctx;
  sl_attention_plan *plan = nullptr;
  uint64_t ws = 0;
  EXPECT_EQ(api().attention_plan_create(ctx.get(), 0, nullptr, &plan, &ws), SL_INVALID_ARGUMENT);
  EXPECT_NE(ctx.error().find("NULL"), std::string::npos) << ctx.error();
  const sl_attention_desc d = make_attention_desc(k_base);
  EXPECT_EQ(api().attention_plan_create(ctx.get(), 1, &d, &plan, &ws), SL_INVALID_ARGUMENT);
  EXPECT_EQ(api().attention_plan_create(ctx.get(), 0, &d, nullptr, &ws), SL_INVALID_ARGUMENT);
}

TEST(cpu_attention_api, unsupported_combinations_say_why) {
  const std::pair<const char *, std::function<void(sl_attention_desc &)>> edits[] = {
      {"head dim 96 is not offered: the CPU kernel supports 64, 128, 256",
       [](sl_attention_desc &d) { d.head_dim_qk = d.head_dim_v = 96; }},
      {"head dim 512", [](sl_attention_desc &d) { d.head_dim_qk = d.head_dim_v = 512; }},
      {"differs from head_dim_v", [](sl_attention_desc &d) { d.head_dim_v = 128; }},
      {"qkv=fp16", [](sl_attention_desc &d) { d.qkv_type = d.o_type = SL_DTYPE_FP16; }},
      {"o=fp32", [](sl_attention_desc &d) { d.qkv_type = SL_DTYPE_BF16; }},
      {"compute=bf16", [](sl_attention_desc &d) { d.compute_type = SL_DTYPE_BF16; }},
      {"outside the normal fp32 range", [](sl_attention_desc &d) { d.softmax_scale = 1e300; }},
  };
  for (const auto &[words, edit] : edits) {
    const auto [status, reason] = create(edit);
    EXPECT_EQ(status, SL_UNSUPPORTED) << words;
    EXPECT_NE(reason.find(words), std::string::npos) << reason;
  }
}

TEST(cpu_attention_api, forward_checks_its_arguments) {
  context ctx, other;
  const sl_attention_desc d = make_attention_desc(k_base);
  sl_attention_plan *plan = nullptr;
  uint64_t ws_bytes = 0;
  ASSERT_EQ(api().attention_plan_create(ctx.get(), 0, &d, &plan, &ws_bytes), SL_OK);
  buffer q(ctx, 40 * 4 * 64 * 4), kv(ctx, 40 * 2 * 64 * 4), o(ctx, 40 * 4 * 64 * 4);
  buffer lse(ctx, 4 * 40 * 4), ws(ctx, ws_bytes);
  for (const buffer *b : {&q, &kv, &o}) {
    std::memset(b->data(), 0, b->bytes());
  }
  const auto forward = [&](sl_context *c, const void *qp, float *lp, void *wp) {
    return api().attention_forward(c, plan, nullptr, qp, kv.data(), kv.data(), o.data(), lp, wp);
  };
  auto *l = static_cast<float *>(lse.data());
  EXPECT_EQ(forward(ctx.get(), q.data(), l, ws.data()), SL_OK) << ctx.error();
  EXPECT_EQ(forward(ctx.get(), nullptr, l, ws.data()), SL_INVALID_ARGUMENT);
  EXPECT_EQ(forward(ctx.get(), q.data(), nullptr, ws.data()), SL_INVALID_ARGUMENT);
  EXPECT_NE(ctx.error().find("LSE"), std::string::npos) << ctx.error();
  EXPECT_EQ(forward(ctx.get(), q.data(), l, nullptr), SL_INVALID_ARGUMENT);
  EXPECT_NE(ctx.error().find("workspace"), std::string::npos) << ctx.error();
  EXPECT_EQ(forward(other.get(), q.data(), l, ws.data()), SL_INVALID_ARGUMENT);
  EXPECT_NE(other.error().find("not owned"), std::string::npos) << other.error();
  EXPECT_EQ(api().attention_plan_destroy(other.get(), plan), SL_INVALID_ARGUMENT);
  EXPECT_EQ(api().attention_plan_destroy(ctx.get(), plan), SL_OK);
}

TEST(cpu_attention_api, lse_is_optional) {
  context ctx;
  sl_attention_desc d = make_attention_desc(k_base);
  d.want_lse = 0;
  sl_attention_plan *plan = nullptr;
  uint64_t ws_bytes = 0;
  ASSERT_EQ(api().attention_plan_create(ctx.get(), 0, &d, &plan, &ws_bytes), SL_OK);
  buffer q(ctx, 40 * 4 * 64 * 4), kv(ctx, 40 * 2 * 64 * 4), o(ctx, 40 * 4 * 64 * 4);
  buffer ws(ctx, ws_bytes);
  for (const buffer *b : {&q, &kv, &o}) {
    std::memset(b->data(), 0, b->bytes());
  }
  EXPECT_EQ(api().attention_forward(ctx.get(), plan, nullptr, q.data(), kv.data(), kv.data(),
                                    o.data(), nullptr, ws.data()),
            SL_OK)
      << ctx.error();
  EXPECT_EQ(api().attention_plan_destroy(ctx.get(), plan), SL_OK);
}

TEST(cpu_attention_api, describe_names_the_kernel_and_tiles) {
  const attention_outcome r = run_attention(context(), k_base);
  ASSERT_EQ(r.status, SL_OK) << r.reason;
  EXPECT_EQ(r.describe.rfind("suanli flash-attention fwd, ", 0), 0u) << r.describe;
  EXPECT_NE(r.describe.find("q-tile 64, kv-tile 64"), std::string::npos) << r.describe;
}

TEST(cpu_attention_api, workspace_is_a_few_tiles_whatever_the_sequence_length) {
  context ctx(2);
  const auto workspace = [&](int64_t seq) {
    attention_case c = k_base;
    c.seq_q = c.seq_kv = seq;
    c.d = 128;
    const sl_attention_desc d = make_attention_desc(c);
    sl_attention_plan *plan = nullptr;
    uint64_t ws = 0;
    EXPECT_EQ(api().attention_plan_create(ctx.get(), 0, &d, &plan, &ws), SL_OK) << ctx.error();
    EXPECT_EQ(api().attention_plan_destroy(ctx.get(), plan), SL_OK);
    return ws;
  };
  const uint64_t small = workspace(64);
  EXPECT_EQ(workspace(32768), small);
  EXPECT_LE(small, 2u * (1u << 20)); // two threads, under 1 MiB each
}

TEST(cpu_attention_api, unknown_isa_cap_fails_init) {
  const scoped_env env("SUANLI_CPU_ISA", "avx9000");
  sl_context *ctx = nullptr;
  const sl_init_options options{sizeof options, 1};
  EXPECT_EQ(api().init(&options, &ctx), SL_INVALID_ARGUMENT);
  EXPECT_EQ(ctx, nullptr);
  EXPECT_NE(std::string(api().last_error(nullptr)).find("portable"), std::string::npos)
      << api().last_error(nullptr);
}

struct fault_param {
  sl_dtype dtype;
  int32_t layout;
};

class cpu_attention_fault : public ::testing::TestWithParam<fault_param> {};

TEST_P(cpu_attention_fault, corrupts_exactly_one_element) {
  const fault_param &f = GetParam();
  const attention_case c{"", f.dtype, f.layout, 1, 2, 37, 45, 4, 2, 64, 8};
  const attention_outcome good = run_attention(context(), c);
  ASSERT_EQ(good.status, SL_OK) << good.reason;
  ASSERT_EQ(good.wrong, 0);
  const scoped_env env("SUANLI_CPU_FAULT", "corrupt_attention_output");
  const attention_outcome bad = run_attention(context(), c);
  ASSERT_EQ(bad.status, SL_OK) << bad.reason;
  EXPECT_EQ(bad.wrong, 1);
  EXPECT_EQ(bad.lse, good.lse);
  ASSERT_EQ(bad.o.size(), good.o.size());
  int64_t differing = 0;
  const int64_t at =
      attention_index(c.layout, 0, c.seq_q / 2, c.heads_q - 1, 0, c.seq_q, c.heads_q, c.d);
  for (size_t i = 0; i < good.o.size(); ++i) {
    if (good.o[i] != bad.o[i]) {
      ++differing;
      EXPECT_EQ(static_cast<int64_t>(i), at);
      EXPECT_NEAR(bad.o[i] - good.o[i], 1024.0, 1024.0 * 0x1p-7);
    }
  }
  EXPECT_EQ(differing, 1);
}

INSTANTIATE_TEST_SUITE_P(dtypes, cpu_attention_fault,
                         ::testing::Values(fault_param{SL_DTYPE_FP32, SL_LAYOUT_BSHD},
                                           fault_param{SL_DTYPE_FP32, SL_LAYOUT_BHSD},
                                           fault_param{SL_DTYPE_BF16, SL_LAYOUT_BSHD},
                                           fault_param{SL_DTYPE_BF16, SL_LAYOUT_BHSD}));

} // namespace
} // namespace suanli::cpu_test
