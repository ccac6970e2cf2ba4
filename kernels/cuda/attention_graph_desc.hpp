#pragma once
// Host-side attention logic that needs no GPU and no cuDNN: descriptor checks, and the cuDNN
// operation graph of a scaled dot-product attention forward as plain data (tensors with dims,
// strides and uids; operations in order), the same graph cudnn_frontend's SDPA forward node
// lowers to: MATMUL(Q, K^T) -> MUL scale -> [causal mask] -> softmax with stats -> MATMUL(P, V).
// cudnn_graph.cpp turns it into backend descriptors.

#include <kernels/abi/suanli_backend.h>

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace suanli::cuda {

/// Element types of graph tensors (mapped to cudnnDataType_t by cudnn_graph.cpp).
enum class graph_dtype { half, bfloat16, float32, int32, boolean };

/// Pointwise modes used by the attention graph (cudnnPointwiseMode_t).
enum class pointwise_mode { add, sub, mul, div, exp, log, cmp_ge, gen_index, binary_select };

/// Kinds of graph operations.
enum class graph_op_kind { matmul, pointwise, reduction_max, reduction_add };

/// Fixed uids of the tensors the caller binds (virtual ones count up from k_first_virtual_uid).
enum graph_uid : int64_t {
  k_uid_q = 1,
  k_uid_k = 2,
  k_uid_v = 3,
  k_uid_o = 4,
  k_uid_stats = 5,      ///< LSE (fp32 [b, h_q, s_q, 1]); virtual unless the plan wants LSE
  k_uid_scale = 6,      ///< softmax scale, fp32 by value
  k_uid_mask_value = 7, ///< value of masked scores, fp32 by value
  k_uid_shift_add = 8,  ///< bottom-right causal: s_kv, int32 by value
  k_uid_shift_sub = 9,  ///< bottom-right causal: s_q, int32 by value
  k_first_virtual_uid = 100
};

/// One tensor of the graph: logical dims [b, h, rows, cols] and strides [elements].
struct graph_tensor {
  std::string name; ///< for messages, e.g. "Q", "S", "row_index"
  int64_t uid = 0;  ///< unique id (graph_uid or virtual)
  graph_dtype dtype = graph_dtype::float32;
  std::array<int64_t, 4> dims{};    ///< [elements]
  std::array<int64_t, 4> strides{}; ///< [elements]
  bool is_virtual = false;          ///< intermediate: never in memory
  bool by_value = false;            ///< a host scalar passed in the variant pack
  double value = 0;                 ///< the scalar, when by_value
};

/// One operation: inputs and output are indices into attention_graph::tensors.
struct graph_op {
  std::string name; ///< for messages
  graph_op_kind kind = graph_op_kind::pointwise;
  pointwise_mode mode = pointwise_mode::mul;  ///< for pointwise
  graph_dtype compute = graph_dtype::float32; ///< math precision / compute type
  int64_t axis = -1;                          ///< gen_index: the dimension indexed
  int x = -1;                                 ///< first input (A of a matmul)
  int b = -1;                                 ///< second input (B of a matmul), or -1
  int t = -1;                                 ///< binary_select's condition, or -1
  int y = -1;                                 ///< output
};

/// The whole forward graph of one descriptor.
struct attention_graph {
  std::vector<graph_tensor> tensors; ///< every tensor, caller-bound ones first
  std::vector<graph_op> ops;         ///< in data-flow order
  bool causal = false;               ///< a causal mask is in the graph
  bool bottom_right = false;         ///< ... aligned to the bottom-right corner
  bool stats_virtual = true;         ///< LSE not wanted: the stats tensor stays virtual
  uint64_t bytes_q = 0, bytes_k = 0, bytes_v = 0, bytes_o = 0, bytes_lse = 0; ///< spans [bytes]

  /// The tensor with uid, or nullptr.
  [[nodiscard]] const graph_tensor *find(int64_t uid) const;
};

/// Logical [b, h, s, d] strides [elements] of a tightly packed tensor in layout
/// (sl_attention_layout): BSHD {s*h*d, d, h*d, 1}, BHSD {h*s*d, s*d, d, 1}.
[[nodiscard]] std::array<int64_t, 4> attention_strides(int32_t layout, int64_t heads, int64_t seq,
                                                       int64_t dim);

/// Structural checks of a descriptor: SL_OK, or SL_INVALID_ARGUMENT with the reason (NULL,
/// struct_size, layout, flags, reserved, scale, dimensions, heads, sizes).
[[nodiscard]] sl_status check_attention_desc(const sl_attention_desc *desc, std::string &reason);

/// What cuDNN's fused attention is asked for, before cuDNN sees it: fp16/bf16 in and out with
/// fp32 compute, head dims multiples of 8 up to 256, causal offsets 0 (top-left) or
/// seq_kv - seq_q with seq_q <= seq_kv (bottom-right). SL_OK or SL_UNSUPPORTED with the reason.
[[nodiscard]] sl_status check_attention_offered(const sl_attention_desc &desc, std::string &reason);

/// Check desc (both functions above), then build its graph. cudnn_version (e.g. 91900) picks
/// the masked-score value as cudnn_frontend does (-inf from 9.10, the lowest float before) and
/// refuses, as it does, bottom-right masks with lengths not multiples of 64 before 9.6.
[[nodiscard]] sl_status build_attention_graph(const sl_attention_desc *desc, int cudnn_version,
                                              attention_graph &out, std::string &reason);

/// "Q:bf16[2,8,128,128]/[..] S:fp32v[...] ... | matmul(Q,K_T)->S ...": the graph in one line,
/// for tests and debugging.
[[nodiscard]] std::string graph_text(const attention_graph &graph);

} // namespace suanli::cuda
