/* example_attention_check.c: validation of attention descriptors: what is invalid (the caller
 * broke a precondition of the ABI) and what is unsupported (a normal answer: the example kernel
 * does not offer it). The same rules as the CPU plugin (kernels/cpu/attention_check.cpp), except
 * that the example kernel takes any head dimension and head_dim_v != head_dim_qk. */
#include "example.h"

#include <float.h>
#include <math.h>

/* Elements of a [batch][seq][heads][dim] tensor, or -1 beyond EX_MAX_EXTENT. */
static int64_t tensor_elems(int64_t batch, int64_t seq, int64_t heads, int64_t dim) {
  const int64_t factors[4] = {batch, seq, heads, dim};
  int64_t n = 1;
  for (int i = 0; i < 4; ++i) {
    if (factors[i] > EX_MAX_EXTENT / n) {
      return -1;
    }
    n *= factors[i];
  }
  return n;
}

static sl_status check_dims(sl_context *ctx, const sl_attention_desc *d) {
  const struct {
    const char *name;
    int64_t value;
  } dims[] = {{"batch", d->batch},          {"seq_q", d->seq_q},
              {"seq_kv", d->seq_kv},        {"heads_q", d->heads_q},
              {"heads_kv", d->heads_kv},    {"head_dim_qk", d->head_dim_qk},
              {"head_dim_v", d->head_dim_v}};
  for (size_t i = 0; i < sizeof dims / sizeof dims[0]; ++i) {
    if (dims[i].value < 1) {
      return ex_fail(ctx, SL_INVALID_ARGUMENT, "attention: %s = %lld, expected >= 1", dims[i].name,
                     (long long)dims[i].value);
    }
  }
  if (d->heads_q % d->heads_kv != 0) {
    return ex_fail(ctx, SL_INVALID_ARGUMENT,
                   "attention: heads_q = %lld is not a multiple of heads_kv = %lld",
                   (long long)d->heads_q, (long long)d->heads_kv);
  }
  if (tensor_elems(d->batch, d->seq_q, d->heads_q, d->head_dim_qk) < 0 ||
      tensor_elems(d->batch, d->seq_q, d->heads_q, d->head_dim_v) < 0 ||
      tensor_elems(d->batch, d->seq_kv, d->heads_kv, d->head_dim_qk) < 0 ||
      tensor_elems(d->batch, d->seq_kv, d->heads_kv, d->head_dim_v) < 0) {
    return ex_fail(ctx, SL_INVALID_ARGUMENT, "attention: a tensor has more than 2^52 elements");
  }
  return SL_OK;
}

static sl_status check_dtypes(sl_context *ctx, const sl_attention_desc *d) {
  if (sl_dtype_size(d->qkv_type) == 0 || sl_dtype_size(d->o_type) == 0 ||
      sl_dtype_size(d->compute_type) == 0) {
    return ex_fail(ctx, SL_INVALID_ARGUMENT,
                   "attention: qkv_type, o_type or compute_type is not an sl_dtype value");
  }
  if (d->qkv_type == SL_DTYPE_FP32 && d->o_type == SL_DTYPE_FP32 &&
      d->compute_type == SL_DTYPE_FP32) {
    return SL_OK;
  }
  /* VENDOR: list what the fused kernel offers: aclnnFlashAttentionScore takes fp16/bf16 (and
   * fp32 on some products), cnnlFlashAttentionForward fp16/bf16, flash-attn forks fp16/bf16. */
  return ex_fail(ctx, SL_UNSUPPORTED,
                 "attention: qkv=%s o=%s compute=%s is not offered by the example device "
                 "(offered: fp32 -> fp32 with fp32 compute)",
                 ex_dtype_name(d->qkv_type), ex_dtype_name(d->o_type),
                 ex_dtype_name(d->compute_type));
}

sl_status ex_check_attention_desc(sl_context *ctx, const sl_attention_desc *desc) {
  if (desc == NULL) {
    return ex_fail(ctx, SL_INVALID_ARGUMENT, "attention_plan_create: desc is NULL");
  }
  if (desc->struct_size < sizeof(sl_attention_desc)) {
    return ex_fail(ctx, SL_INVALID_ARGUMENT,
                   "attention_plan_create: desc->struct_size = %u, expected at least %zu",
                   (unsigned)desc->struct_size, sizeof(sl_attention_desc));
  }
  const sl_attention_desc *d = desc;
  if (d->layout != SL_LAYOUT_BSHD && d->layout != SL_LAYOUT_BHSD) {
    return ex_fail(ctx, SL_INVALID_ARGUMENT,
                   "attention: layout = %d, expected 0 (BSHD) or 1 (BHSD)", (int)d->layout);
  }
  if ((d->causal != 0 && d->causal != 1) || (d->want_lse != 0 && d->want_lse != 1)) {
    return ex_fail(ctx, SL_INVALID_ARGUMENT,
                   "attention: causal and want_lse must be 0 or 1 (got %d, %d)", (int)d->causal,
                   (int)d->want_lse);
  }
  if (d->reserved != 0) {
    return ex_fail(ctx, SL_INVALID_ARGUMENT, "attention: reserved = %d, expected 0",
                   (int)d->reserved);
  }
  if (!isfinite(d->softmax_scale) || !(d->softmax_scale > 0)) {
    return ex_fail(ctx, SL_INVALID_ARGUMENT,
                   "attention: softmax_scale = %g, expected a finite value > 0", d->softmax_scale);
  }
  sl_status s = check_dims(ctx, d);
  if (s != SL_OK) {
    return s;
  }
  s = check_dtypes(ctx, d);
  if (s != SL_OK) {
    return s;
  }
  if (d->softmax_scale > FLT_MAX || d->softmax_scale < FLT_MIN) {
    return ex_fail(ctx, SL_UNSUPPORTED,
                   "attention: softmax_scale = %g is outside the normal fp32 range the example "
                   "kernel computes in",
                   d->softmax_scale);
  }
  /* Any head dimension, GQA/MQA (heads_kv divides heads_q), both layouts, causal with any
   * offset and LSE are offered. VENDOR: fused kernels usually are not this general: refuse
   * here, with the limit in the reason, what yours lacks (e.g. "head dim 96 is not offered:
   * the kernel supports 64, 128, 256", "BHSD is not offered: use BSHD", "causal_offset must be
   * 0 or seq_kv - seq_q"). aclnnFlashAttentionScore takes the layout as a string ("BSND" for
   * BSHD, "BNSD" for BHSD) and the mask as preTokens/nextTokens + sparseMode. */
  return SL_OK;
}
