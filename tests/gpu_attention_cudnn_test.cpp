// CUDA plugin, attention graph in cuDNN (no GPU): every tensor and operation descriptor of the
// attention graph is created and finalized by the installed libcudnn.so.9, which checks their
// attributes (types, dims, strides, uids, modes). Skips with the reason where cuDNN is absent.
// From cuDNN 9.19 the operation graph is finalized too (earlier releases need a handle). Engine
// selection and execution need a GPU: gpu_attention_test covers them.

#include <kernels/cuda/cudnn_graph.hpp>

#include <gtest/gtest.h>

#include <cmath>
#include <string>

namespace suanli::cuda {
namespace {

struct graph_case {
  const char *name;
  int32_t layout, causal;
  int64_t heads_q, heads_kv, seq_q, seq_kv, d;
  bool bottom_right, want_lse;
};

const graph_case k_cases[] = {
    {"bshd", SL_LAYOUT_BSHD, 0, 8, 8, 128, 128, 128, false, true},
    {"bhsd_gqa_causal", SL_LAYOUT_BHSD, 1, 8, 2, 128, 128, 64, false, true},
    {"bshd_mqa_bottom_right", SL_LAYOUT_BSHD, 1, 4, 1, 64, 192, 128, true, false},
};

TEST(attention_cudnn, every_descriptor_finalizes) {
  const cudnn_library &lib = cudnn();
  if (!lib.available) {
    GTEST_SKIP() << lib.note;
  }
  for (const graph_case &c : k_cases) {
    sl_attention_desc d{};
    d.struct_size = sizeof d;
    d.qkv_type = d.o_type = SL_DTYPE_BF16;
    d.compute_type = SL_DTYPE_FP32;
    d.layout = c.layout;
    d.causal = c.causal;
    d.batch = 2;
    d.seq_q = c.seq_q;
    d.seq_kv = c.seq_kv;
    d.heads_q = c.heads_q;
    d.heads_kv = c.heads_kv;
    d.head_dim_qk = d.head_dim_v = c.d;
    d.causal_offset = c.bottom_right ? c.seq_kv - c.seq_q : 0;
    d.softmax_scale = 1 / std::sqrt(static_cast<double>(c.d));
    d.want_lse = c.want_lse ? 1 : 0;
    attention_graph graph;
    std::string reason;
    ASSERT_EQ(build_attention_graph(&d, lib.version_code, graph, reason), SL_OK) << reason;
    cudnn_operations ops;
    const cudnn_failure f = build_operations(graph, ops);
    EXPECT_FALSE(f) << c.name << ": " << f.what << "\n" << graph_text(graph);
    EXPECT_EQ(ops.tensors.size(), graph.tensors.size()) << c.name;
    EXPECT_EQ(ops.ops.size(), graph.ops.size()) << c.name;
    if (lib.version_code >= 91900) { // finalizes an operation graph without a handle (no GPU)
      backend_descriptor op_graph;
      const cudnn_failure g = build_operation_graph(ops, nullptr, op_graph);
      EXPECT_FALSE(g) << c.name << ": " << g.what << "\n" << graph_text(graph);
    }
  }
}

TEST(attention_cudnn, version_text) {
  EXPECT_EQ(cudnn_version_text(91900), "9.19.0");
  EXPECT_EQ(cudnn_version_text(90102), "9.1.2");
}

} // namespace
} // namespace suanli::cuda
