/* example_attention.c: scaled dot-product attention forward, fp32, on the simulated device:
 *   O[b,h,i,:] = sum_j softmax_j(scale * Q[b,h,i,:] . K[b,g,j,:]) V[b,g,j,:],  g = h / group,
 * over the keys query i sees (all, or j <= i + causal_offset when causal), with the optional
 * LSE = log sum_j exp(scale * q.k_j). One query row at a time, in three passes over its keys
 * (scores and their maximum, exponentials and their sum, the weighted sum of V), with the
 * row's scores in the host-allocated workspace. */
#include "example.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

/** A queued forward pass. */
typedef struct ex_attention_command {
  ex_command base;        /**< must be first */
  sl_attention_desc desc; /**< copy (causal_offset clamped) */
  const float *q, *k, *v; /**< device memory */
  float *o;               /**< device memory */
  float *lse;             /**< device memory, or NULL when the plan does not want LSE */
  float *scores;          /**< workspace: seq_kv floats */
} ex_attention_command;

/* Offset of row (b, h, s) of a tensor with `heads` heads, `seq` tokens, head dim `dim`. */
static int64_t row_offset(int32_t layout, int64_t b, int64_t h, int64_t s, int64_t heads,
                          int64_t seq, int64_t dim) {
  return layout == SL_LAYOUT_BSHD ? ((b * seq + s) * heads + h) * dim
                                  : ((b * heads + h) * seq + s) * dim;
}

/* Keys query i sees: a prefix 0 .. visible-1 of the keys. */
static int64_t visible_keys(const sl_attention_desc *d, int64_t i) {
  if (d->causal == 0) {
    return d->seq_kv;
  }
  const int64_t last = i + d->causal_offset; /* no overflow: the offset is clamped */
  return last < 0 ? 0 : (last + 1 < d->seq_kv ? last + 1 : d->seq_kv);
}

static void execute_attention(const ex_command *command) {
  const ex_attention_command *a = (const ex_attention_command *)command;
  const sl_attention_desc *d = &a->desc;
  const int64_t group = d->heads_q / d->heads_kv;
  const float scale = (float)d->softmax_scale;
  for (int64_t b = 0; b < d->batch; ++b) {
    for (int64_t h = 0; h < d->heads_q; ++h) {
      const int64_t g = h / group; /* GQA: query heads h share key/value head g */
      for (int64_t i = 0; i < d->seq_q; ++i) {
        const float *q =
            a->q + row_offset(d->layout, b, h, i, d->heads_q, d->seq_q, d->head_dim_qk);
        float *o = a->o + row_offset(d->layout, b, h, i, d->heads_q, d->seq_q, d->head_dim_v);
        float *lse = a->lse != NULL ? a->lse + (b * d->heads_q + h) * d->seq_q + i : NULL;
        const int64_t keys = visible_keys(d, i);
        for (int64_t t = 0; t < d->head_dim_v; ++t) {
          o[t] = 0.0f;
        }
        if (keys == 0) { /* sees no key: O = 0, LSE = -inf (ABI rule) */
          if (lse != NULL) {
            *lse = -INFINITY;
          }
          continue;
        }
        float max = -INFINITY;
        for (int64_t j = 0; j < keys; ++j) {
          const float *k =
              a->k + row_offset(d->layout, b, g, j, d->heads_kv, d->seq_kv, d->head_dim_qk);
          float dot = 0.0f;
          for (int64_t t = 0; t < d->head_dim_qk; ++t) {
            dot += q[t] * k[t];
          }
          a->scores[j] = scale * dot;
          max = a->scores[j] > max ? a->scores[j] : max;
        }
        float sum = 0.0f;
        for (int64_t j = 0; j < keys; ++j) {
          a->scores[j] = expf(a->scores[j] - max);
          sum += a->scores[j];
        }
        for (int64_t j = 0; j < keys; ++j) {
          const float *v =
              a->v + row_offset(d->layout, b, g, j, d->heads_kv, d->seq_kv, d->head_dim_v);
          for (int64_t t = 0; t < d->head_dim_v; ++t) {
            o[t] += a->scores[j] * v[t];
          }
        }
        for (int64_t t = 0; t < d->head_dim_v; ++t) {
          o[t] /= sum;
        }
        if (lse != NULL) {
          *lse = max + logf(sum);
        }
      }
    }
  }
}

static sl_status owned_plan(sl_context *ctx, const sl_attention_plan *plan, const char *call) {
  if (ex_need_context(ctx, call) != SL_OK) {
    return SL_INVALID_ARGUMENT;
  }
  for (const sl_attention_plan *p = ctx->attention_plans; p != NULL; p = p->next) {
    if (p == plan) {
      return SL_OK;
    }
  }
  return ex_fail(ctx, SL_INVALID_ARGUMENT,
                 "%s: plan is NULL or not a live attention plan of this context", call);
}

sl_status ex_attention_plan_create(sl_context *ctx, int32_t device, const sl_attention_desc *desc,
                                   sl_attention_plan **plan, uint64_t *workspace_bytes) {
  if (ex_check_device(ctx, device, "attention_plan_create") != SL_OK) {
    return SL_INVALID_ARGUMENT;
  }
  if (plan == NULL || workspace_bytes == NULL) {
    return ex_fail(ctx, SL_INVALID_ARGUMENT,
                   "attention_plan_create: plan or workspace_bytes output pointer is NULL");
  }
  *plan = NULL;
  *workspace_bytes = 0;
  const sl_status s = ex_check_attention_desc(ctx, desc);
  if (s != SL_OK) {
    return s;
  }
  /* VENDOR: create the fused kernel's plan here: Ascend aclCreateTensor for Q, K, V, O and the
   * softmax outputs + aclnnFlashAttentionScoreGetWorkspaceSize(..., scaleValue, preTokens,
   * nextTokens, headNum, inputLayout "BSND"/"BNSD", ..., &ws, &executor) +
   * aclSetAclOpExecutorRepeatable; Cambricon cnnlFlashAttentionForward's descriptors and
   * workspace query. Map the mask: causal with causal_offset c means key j is visible from
   * query i iff j <= i + c (c = 0: top-left aligned; c = seq_kv - seq_q: bottom-right, as
   * FlashAttention >= 2.1). */
  sl_attention_plan *created = calloc(1, sizeof *created);
  if (created == NULL) {
    return ex_fail(ctx, SL_OUT_OF_MEMORY, "attention_plan_create: cannot allocate the plan");
  }
  created->device = device;
  created->desc = *desc;
  created->desc.struct_size = sizeof(sl_attention_desc);
  /* Offsets beyond [-seq_q, seq_kv] change nothing; clamping keeps i + offset from overflow. */
  if (created->desc.causal_offset < -desc->seq_q) {
    created->desc.causal_offset = -desc->seq_q;
  } else if (created->desc.causal_offset > desc->seq_kv) {
    created->desc.causal_offset = desc->seq_kv;
  }
  created->workspace_bytes = (uint64_t)desc->seq_kv * sizeof(float);
  snprintf(created->description, sizeof created->description,
           "example simulated attention fwd: fp32 (fp32 accumulate), %s, %s, heads %lld/%lld, "
           "d %lld/%lld, one query row at a time on the host thread",
           desc->layout == SL_LAYOUT_BSHD ? "BSHD" : "BHSD",
           desc->causal != 0 ? "causal" : "non-causal", (long long)desc->heads_q,
           (long long)desc->heads_kv, (long long)desc->head_dim_qk, (long long)desc->head_dim_v);
  created->next = ctx->attention_plans;
  ctx->attention_plans = created;
  *plan = created;
  *workspace_bytes = created->workspace_bytes;
  return SL_OK;
}

sl_status ex_attention_forward(sl_context *ctx, sl_attention_plan *plan, sl_stream *stream,
                               const void *q, const void *k, const void *v, void *o, float *lse,
                               void *workspace) {
  static const char call[] = "attention_forward";
  if (owned_plan(ctx, plan, call) != SL_OK) {
    return SL_INVALID_ARGUMENT;
  }
  if (ex_check_stream(ctx, stream, plan->device, call) != SL_OK) {
    return SL_INVALID_ARGUMENT;
  }
  const sl_attention_desc *d = &plan->desc;
  const uint64_t f = sizeof(float);
  const uint64_t q_bytes = (uint64_t)(d->batch * d->seq_q * d->heads_q * d->head_dim_qk) * f;
  const uint64_t k_bytes = (uint64_t)(d->batch * d->seq_kv * d->heads_kv * d->head_dim_qk) * f;
  const uint64_t v_bytes = (uint64_t)(d->batch * d->seq_kv * d->heads_kv * d->head_dim_v) * f;
  const uint64_t o_bytes = (uint64_t)(d->batch * d->seq_q * d->heads_q * d->head_dim_v) * f;
  const uint64_t lse_bytes = (uint64_t)(d->batch * d->heads_q * d->seq_q) * f;
  const int32_t dev = plan->device;
  if (ex_check_range(ctx, dev, q, q_bytes, call, "Q") != SL_OK ||
      ex_check_range(ctx, dev, k, k_bytes, call, "K") != SL_OK ||
      ex_check_range(ctx, dev, v, v_bytes, call, "V") != SL_OK ||
      ex_check_range(ctx, dev, o, o_bytes, call, "O") != SL_OK ||
      (d->want_lse != 0 && ex_check_range(ctx, dev, lse, lse_bytes, call, "LSE") != SL_OK) ||
      ex_check_range(ctx, dev, workspace, plan->workspace_bytes, call, "the workspace") != SL_OK) {
    return SL_INVALID_ARGUMENT;
  }
  if (ex_overlap(o, o_bytes, q, q_bytes) || ex_overlap(o, o_bytes, k, k_bytes) ||
      ex_overlap(o, o_bytes, v, v_bytes) ||
      ex_overlap(workspace, plan->workspace_bytes, o, o_bytes)) {
    return ex_fail(ctx, SL_INVALID_ARGUMENT,
                   "attention_forward: O overlaps Q, K or V, or the workspace overlaps O");
  }
  ex_attention_command *command = calloc(1, sizeof *command);
  if (command == NULL) {
    return ex_fail(ctx, SL_OUT_OF_MEMORY, "attention_forward: cannot allocate the command");
  }
  /* VENDOR: launch on the stream without waiting: aclnnFlashAttentionScore(workspace, ws_bytes,
   * executor, stream) (Ascend; LSE from softmaxMax/softmaxSum: lse = max + log(sum)),
   * cnnlFlashAttentionForward_v2 (Cambricon), a flash-attn fork's mha_fwd (Hygon, MetaX). */
  command->base.execute = execute_attention;
  command->desc = *d;
  command->q = q;
  command->k = k;
  command->v = v;
  command->o = o;
  command->lse = d->want_lse != 0 ? lse : NULL;
  command->scores = workspace;
  return ex_enqueue(ctx, stream, &command->base);
}

sl_status ex_attention_plan_destroy(sl_context *ctx, sl_attention_plan *plan) {
  if (owned_plan(ctx, plan, "attention_plan_destroy") != SL_OK) {
    return SL_INVALID_ARGUMENT;
  }
  sl_attention_plan **link = &ctx->attention_plans;
  while (*link != plan) {
    link = &(*link)->next;
  }
  *link = plan->next;
  free(plan);
  return SL_OK;
}

sl_status ex_attention_plan_describe(sl_context *ctx, const sl_attention_plan *plan, char *buf,
                                     size_t buf_size) {
  if (owned_plan(ctx, plan, "attention_plan_describe") != SL_OK) {
    return SL_INVALID_ARGUMENT;
  }
  return ex_copy_text(ctx, plan->description, buf, buf_size, "attention_plan_describe");
}

void ex_free_all_attention_plans(sl_context *ctx) {
  while (ctx->attention_plans != NULL) {
    sl_attention_plan *p = ctx->attention_plans;
    ctx->attention_plans = p->next;
    free(p);
  }
}
