// Validation of attention descriptors: what is invalid (the caller broke a precondition) and
// what is unsupported (a normal answer: the CPU kernel does not offer it).

#include <kernels/cpu/attention_plan.hpp>
#include <kernels/cpu/gemm_plan.hpp>

#include <cfloat>
#include <cmath>

namespace suanli::cpu {

namespace {

constexpr int64_t k_max_elements = int64_t{1} << 52; // per tensor; beyond this sizes overflow

bool known_dtype(sl_dtype t) {
  return t >= SL_DTYPE_FP64 && t <= SL_DTYPE_INT32;
}

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
      elements(d.batch, d.seq_kv, d.heads_kv, d.head_dim_v) < 0) {
    reason = "attention: a tensor has more than 2^52 elements";
    return SL_INVALID_ARGUMENT;
  }
  return SL_OK;
}

sl_status check_dtypes(const sl_attention_desc &d, std::string &reason) {
  if (!known_dtype(d.qkv_type) || !known_dtype(d.o_type) || !known_dtype(d.compute_type)) {
    reason = "attention: qkv_type, o_type or compute_type is not an sl_dtype value";
    return SL_INVALID_ARGUMENT;
  }
  const bool fp32 = d.qkv_type == SL_DTYPE_FP32 && d.o_type == SL_DTYPE_FP32;
  const bool bf16 = d.qkv_type == SL_DTYPE_BF16 && d.o_type == SL_DTYPE_BF16;
  if ((fp32 || bf16) && d.compute_type == SL_DTYPE_FP32) {
    return SL_OK;
  }
  reason = std::string("attention: qkv=") + dtype_name(d.qkv_type) + " o=" + dtype_name(d.o_type) +
           " compute=" + dtype_name(d.compute_type) +
           " is not offered by the CPU kernel (offered: fp32 -> fp32 and bf16 -> bf16, both with "
           "fp32 compute)";
  return SL_UNSUPPORTED;
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
  if (const sl_status s = check_dims(d, reason); s != SL_OK) {
    return s;
  }
  if (const sl_status s = check_dtypes(d, reason); s != SL_OK) {
    return s;
  }
  if (d.head_dim_qk != d.head_dim_v) {
    reason = "attention: head_dim_qk = " + std::to_string(d.head_dim_qk) +
             " differs from head_dim_v = " + std::to_string(d.head_dim_v) +
             "; the CPU kernel needs them equal";
    return SL_UNSUPPORTED;
  }
  const double scale_log2 = d.softmax_scale * 1.4426950408889634; // the kernels' fp32 factor
  if (scale_log2 > FLT_MAX || scale_log2 < FLT_MIN) {
    reason = "attention: softmax_scale = " + std::to_string(d.softmax_scale) +
             " is outside the normal fp32 range the CPU kernel computes in";
    return SL_UNSUPPORTED;
  }
  if (head_dim_index(d.head_dim_qk) < 0) {
    reason = "attention: head dim " + std::to_string(d.head_dim_qk) +
             " is not offered: the CPU kernel supports 64, 128, 256";
    return SL_UNSUPPORTED;
  }
  return SL_OK;
}

} // namespace suanli::cpu
