/* example_gemm_check.c: validation of GEMM descriptors, field by field. Two answers besides OK:
 *   SL_INVALID_ARGUMENT  the caller broke a precondition of the ABI (a zero dimension, a leading
 *                        dimension below the row length, overlapping outputs, ...);
 *   SL_UNSUPPORTED       a legal problem this device does not offer (a dtype combination, ...).
 * Both come with a reason: the host shows "unsupported" reasons in the report, and a vendor's
 * users read them to learn what the chip does. These rules are the ones every Suanli plugin
 * applies (kernels/plugin_kit/gemm_desc_check.cpp), re-implemented here in C. */
#include "example.h"

#include <math.h>
#include <string.h>

/** One GEMM operand as stored (transposes applied). */
typedef struct ex_operand {
  const char *name;               /**< "a", "b" or "c" */
  int64_t rows, cols, ld, stride; /**< stored extent, pitch and batch stride [elements] */
} ex_operand;

static ex_operand operand_of(const sl_gemm_desc *d, char which) {
  ex_operand op;
  switch (which) {
  case 'a':
    op.name = "a";
    op.rows = d->trans_a != 0 ? d->k : d->m;
    op.cols = d->trans_a != 0 ? d->m : d->k;
    op.ld = d->lda;
    op.stride = d->stride_a;
    break;
  case 'b':
    op.name = "b";
    op.rows = d->trans_b != 0 ? d->n : d->k;
    op.cols = d->trans_b != 0 ? d->k : d->n;
    op.ld = d->ldb;
    op.stride = d->stride_b;
    break;
  default:
    op.name = "c";
    op.rows = d->m;
    op.cols = d->n;
    op.ld = d->ldc;
    op.stride = d->stride_c;
    break;
  }
  return op;
}

uint64_t ex_gemm_operand_elems(const sl_gemm_desc *desc, char which) {
  const ex_operand op = operand_of(desc, which);
  return (uint64_t)(op.stride * (desc->batch - 1) + (op.rows - 1) * op.ld + op.cols);
}

static sl_status check_operand(sl_context *ctx, const ex_operand *op, int64_t batch) {
  if (op->ld < op->cols) {
    return ex_fail(ctx, SL_INVALID_ARGUMENT,
                   "gemm: ld%s = %lld is below the %lld columns %s is stored with", op->name,
                   (long long)op->ld, (long long)op->cols, op->name);
  }
  if (op->ld > EX_MAX_EXTENT || op->stride < 0 || op->stride > EX_MAX_EXTENT) {
    return ex_fail(ctx, SL_INVALID_ARGUMENT, "gemm: ld%s or stride_%s is negative or too large",
                   op->name, op->name);
  }
  /* Multiply only after checking that the product stays below 2^52 (no int64 overflow). */
  if (op->rows - 1 > EX_MAX_EXTENT / (op->ld > 0 ? op->ld : 1) ||
      batch - 1 > EX_MAX_EXTENT / (op->stride > 0 ? op->stride : 1)) {
    return ex_fail(ctx, SL_INVALID_ARGUMENT, "gemm: operand %s spans too many elements", op->name);
  }
  const int64_t span = (op->rows - 1) * op->ld + op->cols;
  if (span > EX_MAX_EXTENT || op->stride * (batch - 1) > EX_MAX_EXTENT - span) {
    return ex_fail(ctx, SL_INVALID_ARGUMENT, "gemm: operand %s spans too many elements", op->name);
  }
  if (batch > 1 && op->stride < span) {
    /* Overlapping batch entries of an input are legal (a broadcast) but not a benchmark;
     * overlapping outputs are a race. */
    return ex_fail(ctx, strcmp(op->name, "c") == 0 ? SL_INVALID_ARGUMENT : SL_UNSUPPORTED,
                   "gemm: stride_%s = %lld makes batch entries of %s overlap (one entry spans "
                   "%lld elements)",
                   op->name, (long long)op->stride, op->name, (long long)span);
  }
  return SL_OK;
}

static int uses(const sl_gemm_desc *d, sl_dtype t) {
  return d->a_type == t || d->b_type == t || d->c_type == t || d->compute_type == t;
}

static int known(sl_dtype t) {
  return sl_dtype_size(t) != 0;
}

/* The offered combinations: a, b, c, compute. VENDOR: list what your GEMM library really runs
 * at full speed, e.g. aclnnMatmul: fp16, fp32 everywhere and bf16 on Atlas A2 (910B), int8 via
 * aclnnQuantMatmulV4; cnnlMatMul_v2: per the CNNL manual; mublasGemmStridedBatchedEx /
 * mcblasGemmEx / hipblasLt: by their compute types. Never run fp32 as tf32/hf32 silently:
 * aclnnMatmul's cubeMathType must be 0 (KEEP_DTYPE) for SL_DTYPE_FP32, 1 only for TF32. */
static const struct {
  sl_dtype a, b, c, compute;
  const char *name;
} k_combos[] = {
    {SL_DTYPE_FP32, SL_DTYPE_FP32, SL_DTYPE_FP32, SL_DTYPE_FP32,
     "fp32 x fp32 -> fp32 (fp32 accumulate)"},
    {SL_DTYPE_FP64, SL_DTYPE_FP64, SL_DTYPE_FP64, SL_DTYPE_FP64,
     "fp64 x fp64 -> fp64 (fp64 accumulate)"},
};

static sl_status check_dtypes(sl_context *ctx, const sl_gemm_desc *d) {
  if (!known(d->a_type) || !known(d->b_type) || !known(d->c_type) || !known(d->compute_type)) {
    return ex_fail(ctx, SL_INVALID_ARGUMENT,
                   "gemm: a_type, b_type, c_type or compute_type is not an sl_dtype value "
                   "(got %d, %d, %d, %d)",
                   (int)d->a_type, (int)d->b_type, (int)d->c_type, (int)d->compute_type);
  }
  for (size_t i = 0; i < sizeof k_combos / sizeof k_combos[0]; ++i) {
    if (k_combos[i].a == d->a_type && k_combos[i].b == d->b_type && k_combos[i].c == d->c_type &&
        k_combos[i].compute == d->compute_type) {
      return SL_OK;
    }
  }
  const char *types_format = "gemm: a=%s b=%s c=%s compute=%s: %s";
  const char *why = "not offered by the example device (offered: fp32 x fp32 -> fp32 with "
                    "fp32 accumulate; fp64 x fp64 -> fp64 with fp64 accumulate)";
  if (uses(d, SL_DTYPE_TF32)) {
    why = "the example device has no TF32 mode, and fp32 is not silently substituted";
  } else if (uses(d, SL_DTYPE_FP8_E4M3) || uses(d, SL_DTYPE_FP8_E5M2)) {
    why = "the example device has no fp8 arithmetic";
  }
  return ex_fail(ctx, SL_UNSUPPORTED, types_format, ex_dtype_name(d->a_type),
                 ex_dtype_name(d->b_type), ex_dtype_name(d->c_type), ex_dtype_name(d->compute_type),
                 why);
}

sl_status ex_check_gemm_desc(sl_context *ctx, const sl_gemm_desc *desc) {
  if (desc == NULL) {
    return ex_fail(ctx, SL_INVALID_ARGUMENT, "gemm_plan_create: desc is NULL");
  }
  /* A host built against an older minor passes a smaller struct; this plugin needs every field
   * of the v1 descriptor. A future larger struct is fine: the extra fields are ignored. */
  if (desc->struct_size < sizeof(sl_gemm_desc)) {
    return ex_fail(ctx, SL_INVALID_ARGUMENT,
                   "gemm_plan_create: desc->struct_size = %u, expected at least %zu",
                   (unsigned)desc->struct_size, sizeof(sl_gemm_desc));
  }
  const sl_gemm_desc *d = desc;
  if (d->m < 1 || d->n < 1 || d->k < 1 || d->batch < 1 || d->m > EX_MAX_EXTENT ||
      d->n > EX_MAX_EXTENT || d->k > EX_MAX_EXTENT || d->batch > EX_MAX_EXTENT) {
    return ex_fail(ctx, SL_INVALID_ARGUMENT,
                   "gemm: m, n, k and batch must be >= 1 (got m=%lld n=%lld k=%lld batch=%lld)",
                   (long long)d->m, (long long)d->n, (long long)d->k, (long long)d->batch);
  }
  if ((d->trans_a != 0 && d->trans_a != 1) || (d->trans_b != 0 && d->trans_b != 1)) {
    return ex_fail(ctx, SL_INVALID_ARGUMENT,
                   "gemm: trans_a and trans_b must be 0 or 1 (got %d, %d)", (int)d->trans_a,
                   (int)d->trans_b);
  }
  if (!isfinite(d->alpha) || !isfinite(d->beta)) {
    return ex_fail(ctx, SL_INVALID_ARGUMENT, "gemm: alpha and beta must be finite");
  }
  const char operands[] = {'a', 'b', 'c'};
  for (size_t i = 0; i < sizeof operands; ++i) {
    const ex_operand op = operand_of(d, operands[i]);
    const sl_status s = check_operand(ctx, &op, d->batch);
    if (s != SL_OK) {
      return s;
    }
  }
  /* Transposes and batches are offered: the loops take any strides. VENDOR: a library without
   * them (or with limits, e.g. k a multiple of 16 for a tensor-core path) answers
   * SL_UNSUPPORTED here, with a reason naming the field and the limit. Row-major is the ABI's
   * only layout: a column-major library computes C^T = B^T A^T by swapping A and B. */
  return check_dtypes(ctx, d);
}
