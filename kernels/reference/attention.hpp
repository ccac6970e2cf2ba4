#pragma once

#include <kernels/abi/suanli_backend.h>
#include <kernels/reference/gemm.hpp>

#include <cstdint>
#include <vector>

namespace suanli::reference {

/// Linear index of element (b, h, s, d) of an attention tensor with `heads` heads, `seq`
/// tokens and head dimension `dim`, tightly packed in `layout` (sl_attention_layout).
[[nodiscard]] int64_t attention_index(int32_t layout, int64_t b, int64_t h, int64_t s, int64_t d,
                                      int64_t heads, int64_t seq, int64_t dim);

/// Keys query i sees under the descriptor's mask: min(seq_kv, max(0, i + offset + 1)) when
/// causal, else seq_kv.
[[nodiscard]] int64_t attention_visible_keys(const sl_attention_desc &d, int64_t i);

/// One exact (fp64) output row and the magnitudes its tolerance needs.
struct attention_row {
  std::vector<double> o;       ///< O[b, h, i, :] (head_dim_v values; 0 when no key is visible)
  double lse = 0;              ///< log sum_j exp(s_j), -inf when no key is visible
  double max_abs_score = 0;    ///< max_j |s_j| (scaled scores)
  double score_scale = 0;      ///< scale * |q|_2 * max_j |k_j|_2: bound on |s_j|
  std::vector<double> pv_norm; ///< per output dim: sqrt(sum_j (p_j v_jd)^2)
  std::vector<double> spread;  ///< per output dim: sqrt(sum_j p_j^2 (v_jd - o_d)^2), the
                               ///< sensitivity of o_d to independent score errors
  int64_t keys = 0;            ///< visible keys
};

/// Key and value rows of one (batch, kv head), regenerated or read once and shared by the
/// query rows of its group: k[j * d_qk + t], v[j * d_v + t].
struct kv_block {
  std::vector<double> k, v; ///< seq_kv x head_dim_qk and seq_kv x head_dim_v
};

/// Regenerate (or read) K and V of one (batch, kv head).
[[nodiscard]] kv_block load_kv(const sl_attention_desc &d, const operand &k, const operand &v,
                               int64_t b, int64_t g);

/// The exact output row of query i of head h in batch b, given its group's K and V.
[[nodiscard]] attention_row attention_reference_row(const sl_attention_desc &d, const operand &q,
                                                    const kv_block &kv, int64_t b, int64_t h,
                                                    int64_t i);

} // namespace suanli::reference
