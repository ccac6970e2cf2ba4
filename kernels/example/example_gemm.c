/* example_gemm.c: GEMM plans and the kernels of the simulated device, fp32 and fp64:
 *   C[b] = alpha * op(A[b]) * op(B[b]) + beta * C[b], row-major, strided batches.
 * The kernels are plain loops written for clarity, not speed: a row of C is computed in blocks
 * of EX_GEMM_BLOCK columns held in local accumulators, so B is read along its rows. */
#include "example.h"

#include <stdio.h>
#include <stdlib.h>

/** Columns of C accumulated together. */
#define EX_GEMM_BLOCK 64

/** A queued GEMM. */
typedef struct ex_gemm_command {
  ex_command base;   /**< must be first */
  sl_gemm_desc desc; /**< copy: the plan may be destroyed before the queue runs */
  const void *a;     /**< device memory */
  const void *b;     /**< device memory */
  void *c;           /**< device memory */
} ex_gemm_command;

/* One kernel per element type T, accumulating in T (the combinations offered have compute type
 * = element type). op(A)(i, p) = a[i * a_row + p * a_col] and op(B)(p, j) = b[p * b_row +
 * j * b_col]: the transposes only swap the strides. With beta == 0, C is not read (BLAS
 * semantics: the host poisons C with NaN to check this). Elements of C outside the m x n
 * matrix (padding up to ldc, gaps between batch entries) are never written. */
#define EX_DEFINE_GEMM_KERNEL(NAME, T)                                                             \
  static void NAME(const sl_gemm_desc *d, const T *a, const T *b, T *c) {                          \
    const int64_t a_row = d->trans_a != 0 ? 1 : d->lda, a_col = d->trans_a != 0 ? d->lda : 1;      \
    const int64_t b_row = d->trans_b != 0 ? 1 : d->ldb, b_col = d->trans_b != 0 ? d->ldb : 1;      \
    const T alpha = (T)d->alpha, beta = (T)d->beta;                                                \
    for (int64_t e = 0; e < d->batch; ++e) {                                                       \
      const T *ae = a + e * d->stride_a, *be = b + e * d->stride_b;                                \
      T *ce = c + e * d->stride_c;                                                                 \
      for (int64_t i = 0; i < d->m; ++i) {                                                         \
        for (int64_t j0 = 0; j0 < d->n; j0 += EX_GEMM_BLOCK) {                                     \
          const int64_t nb = d->n - j0 < EX_GEMM_BLOCK ? d->n - j0 : EX_GEMM_BLOCK;                \
          T acc[EX_GEMM_BLOCK] = {0};                                                              \
          for (int64_t p = 0; p < d->k; ++p) {                                                     \
            const T aip = ae[i * a_row + p * a_col];                                               \
            const T *bp = be + p * b_row + j0 * b_col;                                             \
            for (int64_t jj = 0; jj < nb; ++jj) {                                                  \
              acc[jj] += aip * bp[jj * b_col];                                                     \
            }                                                                                      \
          }                                                                                        \
          T *crow = ce + i * d->ldc + j0;                                                          \
          for (int64_t jj = 0; jj < nb; ++jj) {                                                    \
            crow[jj] = beta == 0 ? alpha * acc[jj] : alpha * acc[jj] + beta * crow[jj];            \
          }                                                                                        \
        }                                                                                          \
      }                                                                                            \
    }                                                                                              \
  }

EX_DEFINE_GEMM_KERNEL(gemm_fp32, float)
EX_DEFINE_GEMM_KERNEL(gemm_fp64, double)

void ex_gemm_compute(const sl_gemm_desc *desc, const void *a, const void *b, void *c) {
  if (desc->c_type == SL_DTYPE_FP64) {
    gemm_fp64(desc, a, b, c);
  } else {
    gemm_fp32(desc, a, b, c);
  }
}

static void execute_gemm(const ex_command *command) {
  const ex_gemm_command *g = (const ex_gemm_command *)command;
  ex_gemm_compute(&g->desc, g->a, g->b, g->c);
}

/* SL_OK when ctx owns plan. Compares pointers only: an unknown handle is never dereferenced. */
static sl_status owned_plan(sl_context *ctx, const sl_gemm_plan *plan, const char *call) {
  if (ex_need_context(ctx, call) != SL_OK) {
    return SL_INVALID_ARGUMENT;
  }
  for (const sl_gemm_plan *p = ctx->gemm_plans; p != NULL; p = p->next) {
    if (p == plan) {
      return SL_OK;
    }
  }
  return ex_fail(ctx, SL_INVALID_ARGUMENT,
                 "%s: plan is NULL or not a live GEMM plan of this context", call);
}

sl_status ex_gemm_plan_create(sl_context *ctx, int32_t device, const sl_gemm_desc *desc,
                              sl_gemm_plan **plan, uint64_t *workspace_bytes) {
  if (ex_check_device(ctx, device, "gemm_plan_create") != SL_OK) {
    return SL_INVALID_ARGUMENT;
  }
  if (plan == NULL || workspace_bytes == NULL) {
    return ex_fail(ctx, SL_INVALID_ARGUMENT,
                   "gemm_plan_create: plan or workspace_bytes output pointer is NULL");
  }
  *plan = NULL;
  *workspace_bytes = 0;
  const sl_status s = ex_check_gemm_desc(ctx, desc);
  if (s != SL_OK) {
    return s;
  }
  /* VENDOR: plan here, once, everything that does not depend on the data, so gemm_run only
   * launches: Ascend aclCreateTensor for A, B, C + aclnnMatmulGetWorkspaceSize(..., cubeMathType
   * = 0, &ws, &executor) + aclSetAclOpExecutorRepeatable(executor) (executors are single-use by
   * default; without this every timed run includes planning); Cambricon
   * cnnlCreateMatMulDescriptor + cnnlGetMatMulAlgoHeuristic + cnnlGetMatMulHeuristicResult(...,
   * &ws); hipBLASLt/muBLAS/mcBLAS: matmul descriptor, layouts and a heuristic algorithm. Return
   * the workspace size the library asks for: the host allocates it with mem_alloc and passes
   * it to every gemm_run. */
  sl_gemm_plan *created = calloc(1, sizeof *created);
  if (created == NULL) {
    return ex_fail(ctx, SL_OUT_OF_MEMORY, "gemm_plan_create: cannot allocate the plan");
  }
  created->device = device;
  created->desc = *desc;
  created->desc.struct_size = sizeof(sl_gemm_desc);
  snprintf(created->description, sizeof created->description,
           "example simulated GEMM: %s x %s -> %s (%s accumulate), trans_a=%d trans_b=%d, "
           "batch %lld, row blocks of %d columns on the host thread",
           ex_dtype_name(desc->a_type), ex_dtype_name(desc->b_type), ex_dtype_name(desc->c_type),
           ex_dtype_name(desc->compute_type), (int)desc->trans_a, (int)desc->trans_b,
           (long long)desc->batch, EX_GEMM_BLOCK);
  created->next = ctx->gemm_plans;
  ctx->gemm_plans = created;
  *plan = created;
  return SL_OK;
}

sl_status ex_gemm_run(sl_context *ctx, sl_gemm_plan *plan, sl_stream *stream, const void *a,
                      const void *b, void *c, void *workspace) {
  (void)workspace; /* this plan needs none (workspace_bytes = 0): the host may pass NULL */
  if (owned_plan(ctx, plan, "gemm_run") != SL_OK) {
    return SL_INVALID_ARGUMENT;
  }
  if (ex_check_stream(ctx, stream, plan->device, "gemm_run") != SL_OK) {
    return SL_INVALID_ARGUMENT;
  }
  const sl_gemm_desc *d = &plan->desc;
  const uint64_t size = sl_dtype_size(d->c_type); /* a, b and c share it in every combination */
  const uint64_t a_bytes = ex_gemm_operand_elems(d, 'a') * size;
  const uint64_t b_bytes = ex_gemm_operand_elems(d, 'b') * size;
  const uint64_t c_bytes = ex_gemm_operand_elems(d, 'c') * size;
  if (ex_check_range(ctx, plan->device, a, a_bytes, "gemm_run", "A") != SL_OK ||
      ex_check_range(ctx, plan->device, b, b_bytes, "gemm_run", "B") != SL_OK ||
      ex_check_range(ctx, plan->device, c, c_bytes, "gemm_run", "C") != SL_OK) {
    return SL_INVALID_ARGUMENT;
  }
  if (ex_overlap(c, c_bytes, a, a_bytes) || ex_overlap(c, c_bytes, b, b_bytes)) {
    return ex_fail(ctx, SL_INVALID_ARGUMENT, "gemm_run: C overlaps A or B");
  }
  ex_gemm_command *command = calloc(1, sizeof *command);
  if (command == NULL) {
    return ex_fail(ctx, SL_OUT_OF_MEMORY, "gemm_run: cannot allocate the command");
  }
  /* VENDOR: launch on the stream and return without waiting: aclnnMatmul(workspace, ws_bytes,
   * executor, stream) (Ascend), cnnlMatMul_v2(handle bound to the queue, ...) (Cambricon),
   * hipblasLtMatmul / mublasGemmStridedBatchedEx / mcblasGemmStridedBatchedEx with the handle's
   * stream set to this stream (Hygon, Moore Threads, MetaX). */
  command->base.execute = execute_gemm;
  command->desc = *d;
  command->a = a;
  command->b = b;
  command->c = c;
  return ex_enqueue(ctx, stream, &command->base);
}

sl_status ex_gemm_plan_destroy(sl_context *ctx, sl_gemm_plan *plan) {
  if (owned_plan(ctx, plan, "gemm_plan_destroy") != SL_OK) {
    return SL_INVALID_ARGUMENT;
  }
  /* VENDOR: aclDestroyAclOpExecutor + aclDestroyTensor, cnnlDestroyMatMulDescriptor, ... Work
   * already queued must not depend on the plan (here: each command holds a copy). */
  sl_gemm_plan **link = &ctx->gemm_plans;
  while (*link != plan) {
    link = &(*link)->next;
  }
  *link = plan->next;
  free(plan);
  return SL_OK;
}

sl_status ex_gemm_plan_describe(sl_context *ctx, const sl_gemm_plan *plan, char *buf,
                                size_t buf_size) {
  if (owned_plan(ctx, plan, "gemm_plan_describe") != SL_OK) {
    return SL_INVALID_ARGUMENT;
  }
  /* VENDOR: name the kernel or algorithm the library chose (e.g. the cuBLASLt-style algo id,
   * the aclnn kernel name), so that a report says what was measured. */
  return ex_copy_text(ctx, plan->description, buf, buf_size, "gemm_plan_describe");
}

void ex_free_all_gemm_plans(sl_context *ctx) {
  while (ctx->gemm_plans != NULL) {
    sl_gemm_plan *p = ctx->gemm_plans;
    ctx->gemm_plans = p->next;
    free(p);
  }
}
