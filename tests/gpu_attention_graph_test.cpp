// CUDA plugin, attention host logic (no GPU, no cuDNN): descriptor checks, refusals, and the
// cuDNN operation graph (tensor dims, strides, uids, op sequence) for layouts, GQA and masks.

#include <kernels/cuda/attention_graph_desc.hpp>

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

namespace suanli::cuda {
namespace {

constexpr int k_cudnn_9_19 = 91900;

sl_attention_desc make_desc(int32_t layout = SL_LAYOUT_BSHD, int32_t causal = 0,
                            int64_t heads_q = 8, int64_t heads_kv = 8, int64_t seq_q = 128,
                            int64_t seq_kv = 128, int64_t d = 128) {
  sl_attention_desc desc{};
  desc.struct_size = sizeof desc;
  desc.qkv_type = SL_DTYPE_BF16;
  desc.o_type = SL_DTYPE_BF16;
  desc.compute_type = SL_DTYPE_FP32;
  desc.layout = layout;
  desc.causal = causal;
  desc.batch = 2;
  desc.seq_q = seq_q;
  desc.seq_kv = seq_kv;
  desc.heads_q = heads_q;
  desc.heads_kv = heads_kv;
  desc.head_dim_qk = d;
  desc.head_dim_v = d;
  desc.softmax_scale = 1.0 / std::sqrt(static_cast<double>(d));
  desc.want_lse = 1;
  return desc;
}

attention_graph build(const sl_attention_desc &desc, int version = k_cudnn_9_19) {
  attention_graph g;
  std::string reason;
  EXPECT_EQ(build_attention_graph(&desc, version, g, reason), SL_OK) << reason;
  return g;
}

const graph_tensor &tensor(const attention_graph &g, int64_t uid) {
  const graph_tensor *t = g.find(uid);
  EXPECT_NE(t, nullptr) << "uid " << uid;
  static const graph_tensor none{};
  return t != nullptr ? *t : none;
}

std::vector<std::string> op_names(const attention_graph &g) {
  std::vector<std::string> names;
  for (const graph_op &o : g.ops) {
    names.push_back(o.name);
  }
  return names;
}

using dims = std::array<int64_t, 4>;

TEST(attention_graph, bshd_strides_and_k_transposed) {
  const attention_graph g = build(make_desc(SL_LAYOUT_BSHD, 0, 8, 2, 64, 96, 128));
  EXPECT_EQ(tensor(g, k_uid_q).dims, (dims{2, 8, 64, 128}));
  EXPECT_EQ(tensor(g, k_uid_q).strides, (dims{64 * 8 * 128, 128, 8 * 128, 1}));
  // K^T: [b, h_kv, d, s_kv], K's s and d strides swapped
  EXPECT_EQ(tensor(g, k_uid_k).dims, (dims{2, 2, 128, 96}));
  EXPECT_EQ(tensor(g, k_uid_k).strides, (dims{96 * 2 * 128, 128, 1, 2 * 128}));
  EXPECT_EQ(tensor(g, k_uid_v).dims, (dims{2, 2, 96, 128}));
  EXPECT_EQ(tensor(g, k_uid_v).strides, (dims{96 * 2 * 128, 128, 2 * 128, 1}));
  EXPECT_EQ(tensor(g, k_uid_o).dims, (dims{2, 8, 64, 128}));
  EXPECT_EQ(tensor(g, k_uid_o).strides, tensor(g, k_uid_q).strides);
  EXPECT_EQ(tensor(g, k_uid_q).dtype, graph_dtype::bfloat16);
}

TEST(attention_graph, bhsd_strides) {
  const attention_graph g = build(make_desc(SL_LAYOUT_BHSD, 0, 4, 4, 32, 48, 64));
  EXPECT_EQ(tensor(g, k_uid_q).strides, (dims{4 * 32 * 64, 32 * 64, 64, 1}));
  EXPECT_EQ(tensor(g, k_uid_k).dims, (dims{2, 4, 64, 48}));
  EXPECT_EQ(tensor(g, k_uid_k).strides, (dims{4 * 48 * 64, 48 * 64, 1, 64}));
  EXPECT_EQ(tensor(g, k_uid_v).strides, (dims{4 * 48 * 64, 48 * 64, 64, 1}));
}

TEST(attention_graph, gqa_and_mqa_keep_kv_heads) {
  for (const int64_t hkv : {int64_t{1}, int64_t{2}, int64_t{8}}) {
    const attention_graph g = build(make_desc(SL_LAYOUT_BSHD, 0, 8, hkv));
    EXPECT_EQ(tensor(g, k_uid_k).dims[1], hkv);
    EXPECT_EQ(tensor(g, k_uid_v).dims[1], hkv);
    EXPECT_EQ(tensor(g, k_uid_q).dims[1], 8);
    EXPECT_EQ(tensor(g, k_uid_stats).dims, (dims{2, 8, 128, 1}));
  }
}

TEST(attention_graph, op_sequence_without_mask) {
  const attention_graph g = build(make_desc());
  EXPECT_EQ(op_names(g), (std::vector<std::string>{"bmm1", "attn_scale", "M", "sub", "exp", "sum",
                                                   "log", "add", "div", "bmm2"}));
  EXPECT_FALSE(g.causal);
  // S is fp32 and virtual; P is virtual in the I/O type (bmm2's A); stats are the LSE output
  const graph_op &bmm1 = g.ops.front();
  const graph_tensor &s = g.tensors[static_cast<size_t>(bmm1.y)];
  EXPECT_TRUE(s.is_virtual);
  EXPECT_EQ(s.dtype, graph_dtype::float32);
  EXPECT_EQ(s.dims, (dims{2, 8, 128, 128}));
  EXPECT_EQ(s.strides, (dims{8 * 128 * 128, 128 * 128, 128, 1}));
  const graph_op &bmm2 = g.ops.back();
  EXPECT_EQ(g.tensors[static_cast<size_t>(bmm2.x)].dtype, graph_dtype::bfloat16);
  EXPECT_TRUE(g.tensors[static_cast<size_t>(bmm2.x)].is_virtual);
  EXPECT_EQ(g.tensors[static_cast<size_t>(bmm2.y)].uid, k_uid_o);
  EXPECT_FALSE(tensor(g, k_uid_stats).is_virtual);
  EXPECT_EQ(tensor(g, k_uid_stats).strides, (dims{8 * 128, 128, 1, 1}));
  EXPECT_EQ(tensor(g, k_uid_stats).dtype, graph_dtype::float32);
  EXPECT_TRUE(tensor(g, k_uid_scale).by_value);
  EXPECT_DOUBLE_EQ(tensor(g, k_uid_scale).value, 1.0 / std::sqrt(128.0));
  EXPECT_EQ(g.bytes_lse, 2u * 8 * 128 * 4);
  EXPECT_EQ(g.bytes_q, 2u * 8 * 128 * 128 * 2);
}

TEST(attention_graph, without_lse_the_stats_stay_virtual) {
  sl_attention_desc d = make_desc();
  d.want_lse = 0;
  const attention_graph g = build(d);
  EXPECT_TRUE(g.stats_virtual);
  EXPECT_TRUE(tensor(g, k_uid_stats).is_virtual);
  EXPECT_EQ(g.bytes_lse, 0u);
}

TEST(attention_graph, causal_top_left) {
  const attention_graph g = build(make_desc(SL_LAYOUT_BSHD, 1, 8, 8, 128, 256));
  EXPECT_TRUE(g.causal);
  EXPECT_FALSE(g.bottom_right);
  EXPECT_EQ(op_names(g),
            (std::vector<std::string>{"bmm1", "attn_scale", "gen_row_idx_causal",
                                      "gen_col_idx_causal", "row_greater_than_col", "binary_select",
                                      "M", "sub", "exp", "sum", "log", "add", "div", "bmm2"}));
  EXPECT_EQ(g.find(k_uid_shift_add), nullptr);
  const graph_op &row = g.ops[2];
  EXPECT_EQ(row.axis, 2);
  EXPECT_EQ(g.ops[3].axis, 3);
  EXPECT_EQ(g.tensors[static_cast<size_t>(row.y)].dtype, graph_dtype::int32);
  const graph_op &select = g.ops[5];
  EXPECT_EQ(select.mode, pointwise_mode::binary_select);
  EXPECT_EQ(g.tensors[static_cast<size_t>(select.t)].dtype, graph_dtype::boolean);
  EXPECT_EQ(g.tensors[static_cast<size_t>(select.b)].uid, k_uid_mask_value);
  EXPECT_TRUE(std::isinf(tensor(g, k_uid_mask_value).value));
  EXPECT_LT(tensor(g, k_uid_mask_value).value, 0);
}

TEST(attention_graph, masked_value_is_lowest_before_cudnn_9_10) {
  const attention_graph g = build(make_desc(SL_LAYOUT_BSHD, 1), 90800);
  EXPECT_EQ(tensor(g, k_uid_mask_value).value,
            static_cast<double>(std::numeric_limits<float>::lowest()));
}

TEST(attention_graph, causal_bottom_right) {
  sl_attention_desc d = make_desc(SL_LAYOUT_BHSD, 1, 8, 2, 64, 192);
  d.causal_offset = 192 - 64;
  const attention_graph g = build(d);
  EXPECT_TRUE(g.bottom_right);
  EXPECT_EQ(g.ops[3].name, "row_idx_add_skv");
  EXPECT_EQ(g.ops[3].compute, graph_dtype::int32);
  EXPECT_EQ(g.ops[4].name, "row_idx_add_skv_sub_sq");
  EXPECT_EQ(tensor(g, k_uid_shift_add).value, 192);
  EXPECT_EQ(tensor(g, k_uid_shift_sub).value, 64);
  EXPECT_EQ(tensor(g, k_uid_shift_add).dtype, graph_dtype::int32);
}

TEST(attention_graph, bottom_right_needs_multiples_of_64_before_cudnn_9_6) {
  sl_attention_desc d = make_desc(SL_LAYOUT_BSHD, 1, 8, 8, 60, 100);
  d.causal_offset = 40;
  attention_graph g;
  std::string reason;
  EXPECT_EQ(build_attention_graph(&d, 90500, g, reason), SL_UNSUPPORTED);
  EXPECT_NE(reason.find("multiples of 64"), std::string::npos) << reason;
  EXPECT_EQ(build_attention_graph(&d, 90600, g, reason), SL_OK) << reason;
}

TEST(attention_graph, uids_are_unique_and_every_op_is_wired) {
  sl_attention_desc d = make_desc(SL_LAYOUT_BSHD, 1, 4, 1, 32, 64, 64);
  d.causal_offset = 32;
  const attention_graph g = build(d);
  std::vector<int64_t> uids;
  for (const graph_tensor &t : g.tensors) {
    for (const int64_t u : uids) {
      EXPECT_NE(u, t.uid) << t.name;
    }
    uids.push_back(t.uid);
  }
  const auto n = static_cast<int>(g.tensors.size());
  for (const graph_op &o : g.ops) {
    EXPECT_TRUE(o.x >= 0 && o.x < n && o.y >= 0 && o.y < n) << o.name;
    EXPECT_LT(o.b, n);
    EXPECT_LT(o.t, n);
  }
  EXPECT_NE(graph_text(g).find("binary_select(S_scaled,mask_value,causal_keep)"), std::string::npos)
      << graph_text(g);
}

struct refusal {
  const char *name;
  void (*edit)(sl_attention_desc &);
  sl_status status;
  const char *reason; // a substring of the reason
};

const refusal k_refusals[] = {
    {"fp32", [](sl_attention_desc &d) { d.qkv_type = d.o_type = SL_DTYPE_FP32; }, SL_UNSUPPORTED,
     "takes fp16/bf16"},
    {"fp64", [](sl_attention_desc &d) { d.qkv_type = d.o_type = SL_DTYPE_FP64; }, SL_UNSUPPORTED,
     "takes fp16/bf16"},
    {"fp32_out", [](sl_attention_desc &d) { d.o_type = SL_DTYPE_FP32; }, SL_UNSUPPORTED,
     "input type"},
    {"head_dim_100", [](sl_attention_desc &d) { d.head_dim_qk = d.head_dim_v = 100; },
     SL_UNSUPPORTED, "multiple of 8"},
    {"head_dim_512", [](sl_attention_desc &d) { d.head_dim_qk = d.head_dim_v = 512; },
     SL_UNSUPPORTED, "up to 256"},
    {"offset_5",
     [](sl_attention_desc &d) {
       d.causal = 1;
       d.causal_offset = 5;
     },
     SL_UNSUPPORTED, "causal_offset = 5"},
    {"bottom_right_sq_gt_skv",
     [](sl_attention_desc &d) {
       d.causal = 1;
       d.seq_kv = 64;
       d.causal_offset = 64 - 128;
     },
     SL_UNSUPPORTED, "seq_q = 128 > seq_kv = 64"},
    {"heads", [](sl_attention_desc &d) { d.heads_kv = 3; }, SL_INVALID_ARGUMENT, "multiple"},
    {"layout", [](sl_attention_desc &d) { d.layout = 7; }, SL_INVALID_ARGUMENT, "layout"},
    {"scale", [](sl_attention_desc &d) { d.softmax_scale = -1; }, SL_INVALID_ARGUMENT, "scale"},
    {"size", [](sl_attention_desc &d) { d.struct_size = 8; }, SL_INVALID_ARGUMENT, "struct_size"},
    {"seq", [](sl_attention_desc &d) { d.seq_q = 0; }, SL_INVALID_ARGUMENT, "seq_q"},
    {"reserved", [](sl_attention_desc &d) { d.reserved = 1; }, SL_INVALID_ARGUMENT, "reserved"},
};

TEST(attention_graph, refusals_name_the_reason) {
  for (const refusal &r : k_refusals) {
    sl_attention_desc d = make_desc();
    r.edit(d);
    attention_graph g;
    std::string reason;
    EXPECT_EQ(build_attention_graph(&d, k_cudnn_9_19, g, reason), r.status) << r.name;
    EXPECT_NE(reason.find(r.reason), std::string::npos) << r.name << ": " << reason;
    EXPECT_TRUE(g.tensors.empty()) << r.name;
  }
  attention_graph g;
  std::string reason;
  EXPECT_EQ(build_attention_graph(nullptr, k_cudnn_9_19, g, reason), SL_INVALID_ARGUMENT);
}

TEST(attention_graph, offered_shapes) {
  for (const int64_t d : {int64_t{64}, int64_t{128}, int64_t{256}}) {
    attention_graph g;
    std::string reason;
    sl_attention_desc desc = make_desc(SL_LAYOUT_BSHD, 0, 8, 8, 128, 128, d);
    desc.qkv_type = desc.o_type = SL_DTYPE_FP16;
    EXPECT_EQ(build_attention_graph(&desc, k_cudnn_9_19, g, reason), SL_OK) << reason;
    EXPECT_EQ(tensor(g, k_uid_q).dtype, graph_dtype::half);
  }
  // offset 0 with seq_q > seq_kv: top-left, every row sees a key
  attention_graph g = build(make_desc(SL_LAYOUT_BSHD, 1, 8, 8, 256, 128));
  EXPECT_FALSE(g.bottom_right);
}

} // namespace
} // namespace suanli::cuda
