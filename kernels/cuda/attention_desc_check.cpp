// Attention descriptor checks: what is invalid (the caller broke a precondition) and what cuDNN's
// fused attention is not asked for (unsupported, with the reason).

#include <kernels/cuda/attention_graph_desc.hpp>
#include <kernels/plugin_kit/gemm_desc_check.hpp>

#include <cmath>

namespace suanli::cuda {

namespace {

constexpr int64_t k_max_elements = int64_t{1} << 52;    // per tensor; beyond this sizes overflow
constexpr int64_t k_max_index = (int64_t{1} << 31) - 1; // cuDNN's index tensors are int32
constexpr int64_t k_max_head_dim = 256;                 // cuDNN 9's largest fp16/bf16 head dim

using plugin_kit::dtype_name;

// elements of a [batch][seq][heads][dim] tensor, or -1 beyond k_max_elements
int64_t elements(int64_t batch, int64_t seq, int64_t heads, int64_t dim) {
  int64_t n = 1;
  for (const int64_t f : {batch, seq, heads, dim}) {
    if (f > k_max_elements / n) {
      return -1;
    }
    n *= f;
  }
  return n;
}

bool known_dtype(sl_dtype t) {
  return t >= SL_DTYPE_FP64 && t <= SL_DTYPE_INT32;
}

sl_status check_dims(const sl_attention_desc &d, std::string &reason) {
  const std::pair<const char *, int64_t> dims[] = {
      {"batch", d.batch},          {"seq_q", d.seq_q},       {"seq_kv", d.seq_kv},
      {"heads_q", d.heads_q},      {"heads_kv", d.heads_kv}, {"head_dim_qk", d.head_dim_qk},
      {"head_dim_v", d.head_dim_v}};
  for (const auto &[name, value] : dims) {
    if (value < 1) {
      reason =
          std::string("attention: ") + name + " = " + std::to_string(value) + ", expected >= 1";
      return SL_INVALID_ARGUMENT;
    }
  }
  if (d.heads_q % d.heads_kv != 0) {
    reason = "attention: heads_q = " + std::to_string(d.heads_q) +
             " is not a multiple of heads_kv = " + std::to_string(d.heads_kv);
    return SL_INVALID_ARGUMENT;
  }
  if (elements(d.batch, d.seq_q, d.heads_q, d.head_dim_qk) < 0 ||
      elements(d.batch, d.seq_q, d.heads_q, d.head_dim_v) < 0 ||
      elements(d.batch, d.seq_kv, d.heads_kv, d.head_dim_qk) < 0 ||
      elements(d.batch, d.seq_kv, d.heads_kv, d.head_dim_v) < 0 ||
      elements(d.batch, d.heads_q, d.seq_q, d.seq_kv) < 0) {
    reason = "attention: a tensor (or the score matrix) has more than 2^52 elements";
    return SL_INVALID_ARGUMENT;
  }
  return SL_OK;
}

} // namespace

sl_status check_attention_desc(const sl_attention_desc *desc, std::string &reason) {
  if (desc == nullptr) {
    reason = "attention_plan_create: desc is NULL";
    return SL_INVALID_ARGUMENT;
  }
  if (desc->struct_size < sizeof(sl_attention_desc)) {
    reason = "attention_plan_create: desc->struct_size = " + std::to_string(desc->struct_size) +
             ", expected at least " + std::to_string(sizeof(sl_attention_desc));
    return SL_INVALID_ARGUMENT;
  }
  const sl_attention_desc &d = *desc;
  if (d.layout != SL_LAYOUT_BSHD && d.layout != SL_LAYOUT_BHSD) {
    reason = "attention: layout = " + std::to_string(d.layout) + ", expected 0 (BSHD) or 1 (BHSD)";
    return SL_INVALID_ARGUMENT;
  }
  if ((d.causal != 0 && d.causal != 1) || (d.want_lse != 0 && d.want_lse != 1)) {
    reason = "attention: causal and want_lse must be 0 or 1 (got " + std::to_string(d.causal) +
             ", " + std::to_string(d.want_lse) + ")";
    return SL_INVALID_ARGUMENT;
  }
  if (d.reserved != 0) {
    reason = "attention: reserved = " + std::to_string(d.reserved) + ", expected 0";
    return SL_INVALID_ARGUMENT;
  }
  if (!std::isfinite(d.softmax_scale) || !(d.softmax_scale > 0)) {
    reason = "attention: softmax_scale = " + std::to_string(d.softmax_scale) +
             ", expected a finite value > 0";
    return SL_INVALID_ARGUMENT;
  }
  if (!known_dtype(d.qkv_type) || !known_dtype(d.o_type) || !known_dtype(d.compute_type)) {
    reason = "attention: qkv_type, o_type or compute_type is not an sl_dtype value";
    return SL_INVALID_ARGUMENT;
  }
  return check_dims(d, reason);
}

sl_status check_attention_offered(const sl_attention_desc &d, std::string &reason) {
  const std::string types = std::string("attention: qkv=") + dtype_name(d.qkv_type) +
                            " o=" + dtype_name(d.o_type) +
                            " compute=" + dtype_name(d.compute_type) + ": ";
  const bool half = d.qkv_type == SL_DTYPE_FP16 || d.qkv_type == SL_DTYPE_BF16;
  if (!half) {
    reason = types + "cuDNN's fused attention takes fp16/bf16";
    return SL_UNSUPPORTED;
  }
  if (d.o_type != d.qkv_type || d.compute_type != SL_DTYPE_FP32) {
    reason = types + "cuDNN's fused attention writes O in the input type and computes in fp32 "
                     "(offered: fp16 -> fp16 and bf16 -> bf16, fp32 compute)";
    return SL_UNSUPPORTED;
  }
  for (const auto &[name, dim] :
       {std::pair{"head_dim_qk", d.head_dim_qk}, std::pair{"head_dim_v", d.head_dim_v}}) {
    if (dim % 8 != 0 || dim > k_max_head_dim) {
      reason = std::string("attention: ") + name + " = " + std::to_string(dim) +
               " is not offered: cuDNN's fused attention needs a multiple of 8 up to " +
               std::to_string(k_max_head_dim);
      return SL_UNSUPPORTED;
    }
  }
  if (d.seq_q > k_max_index || d.seq_kv > k_max_index) {
    reason = "attention: seq_q and seq_kv must fit cuDNN's int32 index tensors";
    return SL_UNSUPPORTED;
  }
  if (d.causal != 0 && d.causal_offset != 0 && d.causal_offset != d.seq_kv - d.seq_q) {
    reason = "attention: causal_offset = " + std::to_string(d.causal_offset) +
             " is not offered: cuDNN's causal masks align the top-left corner (offset 0) or the "
             "bottom-right corner (offset seq_kv - seq_q = " +
             std::to_string(d.seq_kv - d.seq_q) + ")";
    return SL_UNSUPPORTED;
  }
  if (d.causal != 0 && d.causal_offset != 0 && d.seq_q > d.seq_kv) {
    reason = "attention: a bottom-right causal mask with seq_q = " + std::to_string(d.seq_q) +
             " > seq_kv = " + std::to_string(d.seq_kv) +
             " is not offered: cuDNN refuses it, and its first queries would see no key";
    return SL_UNSUPPORTED;
  }
  return SL_OK;
}

} // namespace suanli::cuda
