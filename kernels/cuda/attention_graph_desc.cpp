// The cuDNN operation graph of an attention forward, as plain data. The op sequence, tensor
// types and shapes follow cudnn_frontend's SDPA forward node (scaled_dot_product_flash_attention.h,
// softmax.h and the causal score modifiers):
//   S = MATMUL(Q, K^T) (fp32, virtual)  -> S * scale (POINTWISE MUL, scale by value)
//   causal: row = GEN_INDEX(axis 2), [bottom-right: row = row + s_kv - s_q], col = GEN_INDEX(3),
//           keep = CMP_GE(row, col), S = BINARY_SELECT(S, mask_value, keep)
//   softmax: M = REDUCTION MAX, E = EXP(S - M), Z = REDUCTION ADD(E), LSE = M + LOG(Z),
//            P = E / Z (virtual, in the I/O type: cuDNN wants bmm2's A in the I/O type)
//   O = MATMUL(P, V)

#include <kernels/cuda/attention_graph_desc.hpp>

#include <limits>
#include <sstream>

namespace suanli::cuda {

namespace {

constexpr int k_inf_cudnn_version = 91000;       // cudnn_frontend masks with -inf from cuDNN 9.10
constexpr int k_any_length_bottom_right = 90600; // before: bottom-right needs multiples of 64

// Adds tensors and ops to a graph under construction.
class graph_builder {
public:
  explicit graph_builder(attention_graph &g) : g_(g) {}

  int tensor(graph_tensor t) {
    g_.tensors.push_back(std::move(t));
    return static_cast<int>(g_.tensors.size()) - 1;
  }

  int virtual_tensor(const char *name, graph_dtype dtype, std::array<int64_t, 4> dims,
                     std::array<int64_t, 4> strides) {
    return tensor({name, next_uid_++, dtype, dims, strides, true, false, 0});
  }

  int scalar(const char *name, int64_t uid, graph_dtype dtype, double value) {
    return tensor({name, uid, dtype, {1, 1, 1, 1}, {1, 1, 1, 1}, false, true, value});
  }

  // A virtual tensor shaped like `like` (the score matrix or a row statistic).
  int like(const char *name, int like_index, graph_dtype dtype) {
    const graph_tensor &t = g_.tensors.at(static_cast<size_t>(like_index));
    return virtual_tensor(name, dtype, t.dims, t.strides);
  }

  void op(graph_op o) { g_.ops.push_back(std::move(o)); }

  int pointwise(const char *name, pointwise_mode mode, graph_dtype compute, int x, int b, int y,
                int t = -1, int64_t axis = -1) {
    op({name, graph_op_kind::pointwise, mode, compute, axis, x, b, t, y});
    return y;
  }

private:
  attention_graph &g_;
  int64_t next_uid_ = k_first_virtual_uid;
};

graph_dtype io_dtype(sl_dtype t) {
  return t == SL_DTYPE_BF16 ? graph_dtype::bfloat16 : graph_dtype::half;
}

const char *dtype_text(graph_dtype t) {
  switch (t) {
  case graph_dtype::half: return "fp16";
  case graph_dtype::bfloat16: return "bf16";
  case graph_dtype::float32: return "fp32";
  case graph_dtype::int32: return "int32";
  case graph_dtype::boolean: return "bool";
  }
  return "?";
}

const char *op_text(const graph_op &o) {
  switch (o.kind) {
  case graph_op_kind::matmul: return "matmul";
  case graph_op_kind::reduction_max: return "reduce_max";
  case graph_op_kind::reduction_add: return "reduce_add";
  case graph_op_kind::pointwise: break;
  }
  switch (o.mode) {
  case pointwise_mode::add: return "add";
  case pointwise_mode::sub: return "sub";
  case pointwise_mode::mul: return "mul";
  case pointwise_mode::div: return "div";
  case pointwise_mode::exp: return "exp";
  case pointwise_mode::log: return "log";
  case pointwise_mode::cmp_ge: return "cmp_ge";
  case pointwise_mode::gen_index: return "gen_index";
  case pointwise_mode::binary_select: return "binary_select";
  }
  return "?";
}

// The causal mask on scores s: BINARY_SELECT(s, mask value, row (+ s_kv - s_q) >= col).
int causal_mask(graph_builder &gb, const sl_attention_desc &d, int s, bool bottom_right,
                int cudnn_version) {
  constexpr auto i32 = graph_dtype::int32;
  int row = gb.pointwise("gen_row_idx_causal", pointwise_mode::gen_index, i32, s, -1,
                         gb.like("row_index", s, i32), -1, 2);
  if (bottom_right) {
    const int skv = gb.scalar("s_kv", k_uid_shift_add, i32, static_cast<double>(d.seq_kv));
    row = gb.pointwise("row_idx_add_skv", pointwise_mode::add, i32, row, skv,
                       gb.like("row_index_plus_skv", s, i32));
    const int sq = gb.scalar("s_q", k_uid_shift_sub, i32, static_cast<double>(d.seq_q));
    row = gb.pointwise("row_idx_add_skv_sub_sq", pointwise_mode::sub, i32, row, sq,
                       gb.like("row_index_shifted", s, i32));
  }
  const int col = gb.pointwise("gen_col_idx_causal", pointwise_mode::gen_index, i32, s, -1,
                               gb.like("col_index", s, i32), -1, 3);
  const int keep =
      gb.pointwise("row_greater_than_col", pointwise_mode::cmp_ge, graph_dtype::boolean, row, col,
                   gb.like("causal_keep", s, graph_dtype::boolean));
  const double masked = cudnn_version >= k_inf_cudnn_version
                            ? -std::numeric_limits<double>::infinity()
                            : static_cast<double>(std::numeric_limits<float>::lowest());
  const int value = gb.scalar("mask_value", k_uid_mask_value, graph_dtype::float32, masked);
  return gb.pointwise("binary_select", pointwise_mode::binary_select, graph_dtype::float32, s,
                      value, gb.like("S_masked", s, graph_dtype::float32), keep);
}

} // namespace

const graph_tensor *attention_graph::find(int64_t uid) const {
  for (const graph_tensor &t : tensors) {
    if (t.uid == uid) {
      return &t;
    }
  }
  return nullptr;
}

std::array<int64_t, 4> attention_strides(int32_t layout, int64_t heads, int64_t seq, int64_t dim) {
  if (layout == SL_LAYOUT_BSHD) {
    return {seq * heads * dim, dim, heads * dim, 1};
  }
  return {heads * seq * dim, seq * dim, dim, 1};
}

sl_status build_attention_graph(const sl_attention_desc *desc, int cudnn_version,
                                attention_graph &out, std::string &reason) {
  out = attention_graph{};
  if (const sl_status s = check_attention_desc(desc, reason); s != SL_OK) {
    return s;
  }
  if (const sl_status s = check_attention_offered(*desc, reason); s != SL_OK) {
    return s;
  }
  const sl_attention_desc &d = *desc;
  if (d.causal != 0 && d.causal_offset != 0 && cudnn_version < k_any_length_bottom_right &&
      (d.seq_q % 64 != 0 || d.seq_kv % 64 != 0)) {
    reason = "attention: a bottom-right causal mask needs seq_q and seq_kv multiples of 64 "
             "before cuDNN 9.6.0 (got " +
             std::to_string(d.seq_q) + " and " + std::to_string(d.seq_kv) + ")";
    return SL_UNSUPPORTED;
  }
  const int64_t b = d.batch, hq = d.heads_q, hk = d.heads_kv, sq = d.seq_q, skv = d.seq_kv;
  const int64_t dqk = d.head_dim_qk, dv = d.head_dim_v;
  const graph_dtype io = io_dtype(d.qkv_type);
  constexpr auto f32 = graph_dtype::float32;
  graph_builder gb(out);

  // K as K^T: dims [b, h_k, d, s_kv] with K's strides for s and d swapped.
  std::array<int64_t, 4> kt = attention_strides(d.layout, hk, skv, dqk);
  std::swap(kt[2], kt[3]);
  const int q = gb.tensor({"Q",
                           k_uid_q,
                           io,
                           {b, hq, sq, dqk},
                           attention_strides(d.layout, hq, sq, dqk),
                           false,
                           false,
                           0});
  const int k = gb.tensor({"K_T", k_uid_k, io, {b, hk, dqk, skv}, kt, false, false, 0});
  const int v = gb.tensor({"V",
                           k_uid_v,
                           io,
                           {b, hk, skv, dv},
                           attention_strides(d.layout, hk, skv, dv),
                           false,
                           false,
                           0});
  const int o = gb.tensor({"O",
                           k_uid_o,
                           io,
                           {b, hq, sq, dv},
                           attention_strides(d.layout, hq, sq, dv),
                           false,
                           false,
                           0});
  const std::array<int64_t, 4> row_dims{b, hq, sq, 1}, row_strides{hq * sq, sq, 1, 1};
  const int stats =
      gb.tensor({"Stats", k_uid_stats, f32, row_dims, row_strides, d.want_lse == 0, false, 0});
  out.stats_virtual = d.want_lse == 0;

  // bmm1 and the scale
  int s = gb.virtual_tensor("S", f32, {b, hq, sq, skv}, {hq * sq * skv, sq * skv, skv, 1});
  gb.op({"bmm1", graph_op_kind::matmul, pointwise_mode::mul, f32, -1, q, k, -1, s});
  const int scale = gb.scalar("attn_scale", k_uid_scale, f32, d.softmax_scale);
  s = gb.pointwise("attn_scale", pointwise_mode::mul, f32, s, scale, gb.like("S_scaled", s, f32));

  out.causal = d.causal != 0;
  out.bottom_right = out.causal && d.causal_offset != 0;
  if (out.causal) {
    s = causal_mask(gb, d, s, out.bottom_right, cudnn_version);
  }

  // softmax with stats (cudnn_frontend's SoftmaxNode with use_stats, without M/Zinv outputs)
  const int m = gb.virtual_tensor("M", f32, row_dims, row_strides);
  gb.op({"M", graph_op_kind::reduction_max, pointwise_mode::mul, f32, -1, s, -1, -1, m});
  const int sub = gb.pointwise("sub", pointwise_mode::sub, f32, s, m, gb.like("sub_M", s, f32));
  const int e =
      gb.pointwise("exp", pointwise_mode::exp, f32, sub, -1, gb.like("exp_sub_M", s, f32));
  const int z = gb.virtual_tensor("Z", f32, row_dims, row_strides);
  gb.op({"sum", graph_op_kind::reduction_add, pointwise_mode::mul, f32, -1, e, -1, -1, z});
  const int log_z = gb.pointwise("log", pointwise_mode::log, f32, z, -1, gb.like("log_Z", z, f32));
  gb.pointwise("add", pointwise_mode::add, f32, m, log_z, stats);
  const int p = gb.pointwise("div", pointwise_mode::div, f32, e, z, gb.like("P", s, io));

  // bmm2
  gb.op({"bmm2", graph_op_kind::matmul, pointwise_mode::mul, f32, -1, p, v, -1, o});

  const auto bytes = [](int64_t n, size_t size) { return static_cast<uint64_t>(n) * size; };
  const size_t es = sl_dtype_size(d.qkv_type);
  out.bytes_q = bytes(b * sq * hq * dqk, es);
  out.bytes_k = bytes(b * skv * hk * dqk, es);
  out.bytes_v = bytes(b * skv * hk * dv, es);
  out.bytes_o = bytes(b * sq * hq * dv, sl_dtype_size(d.o_type));
  out.bytes_lse = d.want_lse != 0 ? bytes(b * hq * sq, sizeof(float)) : 0;
  return SL_OK;
}

std::string graph_text(const attention_graph &graph) {
  std::ostringstream os;
  const auto name = [&](int i) { return i < 0 ? std::string("-") : graph.tensors[i].name; };
  for (const graph_tensor &t : graph.tensors) {
    os << t.name << '#' << t.uid << ':' << dtype_text(t.dtype) << (t.is_virtual ? "v" : "")
       << (t.by_value ? "=" + std::to_string(t.value) : "") << '[' << t.dims[0] << ',' << t.dims[1]
       << ',' << t.dims[2] << ',' << t.dims[3] << "]/[" << t.strides[0] << ',' << t.strides[1]
       << ',' << t.strides[2] << ',' << t.strides[3] << "] ";
  }
  os << '|';
  for (const graph_op &o : graph.ops) {
    os << ' ' << op_text(o) << '(' << name(o.x);
    if (o.b >= 0) {
      os << ',' << name(o.b);
    }
    if (o.t >= 0) {
      os << ',' << name(o.t);
    }
    if (o.axis >= 0) {
      os << ",axis=" << o.axis;
    }
    os << ")->" << name(o.y) << ':' << dtype_text(o.compute);
  }
  return os.str();
}

} // namespace suanli::cuda
