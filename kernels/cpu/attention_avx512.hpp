#pragma once
// AVX-512 building blocks of the attention kernels, shared by the AVX-512F and AVX-512 BF16
// kernel sets: vector exp2, the online-softmax update of one tile, and the fp32 register-blocked
// tile products S = K Q^T and O^T = alpha * O^T + V^T P. Every function carries the AVX-512
// target attribute; the plugin itself is compiled for baseline x86-64 and calls these only
// after checking the CPU flags.

#if defined(__x86_64__)

#include <kernels/cpu/attention_exp.hpp>
#include <kernels/cpu/attention_kernels.hpp>

#include <immintrin.h>

#include <cmath>
#include <cstring>

// GCC 12's AVX-512 intrinsics read a self-initialised _mm512_undefined_ps() (GCC bug 105593):
// a false "used uninitialized" in every file that includes this header.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif

#define SUANLI_TARGET_AVX512 __attribute__((target("avx512f,avx512dq,avx512bw,avx512vl,fma")))

namespace suanli::cpu::avx512 {

constexpr int k_bq = k_attention_q_tile; ///< queries per tile = floats per score row
constexpr int k_nv = k_bq / 16;          ///< zmm registers per score row
constexpr int k_rows = 6;                ///< key rows (or O dims) per register block

/// 2^x lane-wise (see attention_exp.hpp); 0 below k_exp2_min, for -inf and NaN.
SUANLI_TARGET_AVX512 inline __m512 exp2(__m512 x) {
  const __m512 n = _mm512_roundscale_ps(x, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
  const __m512 f = _mm512_sub_ps(x, n);
  __m512 p = _mm512_set1_ps(k_exp2_poly[6]);
  p = _mm512_fmadd_ps(p, f, _mm512_set1_ps(k_exp2_poly[5]));
  p = _mm512_fmadd_ps(p, f, _mm512_set1_ps(k_exp2_poly[4]));
  p = _mm512_fmadd_ps(p, f, _mm512_set1_ps(k_exp2_poly[3]));
  p = _mm512_fmadd_ps(p, f, _mm512_set1_ps(k_exp2_poly[2]));
  p = _mm512_fmadd_ps(p, f, _mm512_set1_ps(k_exp2_poly[1]));
  p = _mm512_fmadd_ps(p, f, _mm512_set1_ps(k_exp2_poly[0]));
  const __mmask16 live = _mm512_cmp_ps_mask(x, _mm512_set1_ps(k_exp2_min), _CMP_GE_OQ);
  return _mm512_maskz_scalef_ps(live, p, n);
}

/// The softmax statistics of one 16-query column block of a tile.
struct softmax_block {
  __m512 m_new; ///< new running max (log2 units), -inf where no key was seen yet
  __m512 m_sub; ///< what the exponents subtract: m_new, or 0 where it is -inf
  __m512 alpha; ///< 2^(m_old - m_new): rescales l and O
};

/// Column block v of a tile: applies the causal mask to t.s in place and returns the new max.
SUANLI_TARGET_AVX512 inline softmax_block softmax_stats(const attention_tile &t, int v) {
  const int n = t.keys;
  float *s = t.s + 16 * v;
  const __m512 neg_inf = _mm512_set1_ps(-INFINITY);
  const __m512 m_old = _mm512_loadu_ps(t.m + 16 * v);
  __m512 mx0 = neg_inf, mx1 = neg_inf;
  if (t.masked != 0) {
    const __m512i lane =
        _mm512_add_epi32(_mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15),
                         _mm512_set1_epi32(16 * v));
    for (int r = 0; r < n; ++r) {
      const __mmask16 hidden = _mm512_cmplt_epi32_mask(lane, _mm512_set1_epi32(r + t.mask_shift));
      const __m512 x = _mm512_mask_mov_ps(_mm512_loadu_ps(s + r * k_bq), hidden, neg_inf);
      _mm512_storeu_ps(s + r * k_bq, x);
      mx0 = _mm512_max_ps(mx0, x);
    }
  } else {
    int r = 0;
    for (; r + 2 <= n; r += 2) {
      mx0 = _mm512_max_ps(mx0, _mm512_loadu_ps(s + r * k_bq));
      mx1 = _mm512_max_ps(mx1, _mm512_loadu_ps(s + (r + 1) * k_bq));
    }
    if (r < n) {
      mx0 = _mm512_max_ps(mx0, _mm512_loadu_ps(s + r * k_bq));
    }
  }
  const __m512 c = _mm512_set1_ps(t.scale_log2);
  softmax_block b{};
  b.m_new = _mm512_max_ps(m_old, _mm512_mul_ps(_mm512_max_ps(mx0, mx1), c));
  // a lane that has seen no key keeps m = -inf; it subtracts 0 instead, so every p is 0
  b.m_sub = _mm512_maskz_mov_ps(_mm512_cmp_ps_mask(b.m_new, neg_inf, _CMP_NEQ_OQ), b.m_new);
  b.alpha = exp2(_mm512_sub_ps(m_old, b.m_sub));
  return b;
}

/// p = 2^(s * c - m_sub) for the 16 scores at s.
SUANLI_TARGET_AVX512 inline __m512 probability(const float *s, __m512 c, __m512 m_sub) {
  return exp2(_mm512_fmsub_ps(_mm512_loadu_ps(s), c, m_sub));
}

/// Stores the new max, alpha and l = alpha * l + sum of column block v.
SUANLI_TARGET_AVX512 inline void softmax_finish(const attention_tile &t, int v,
                                                const softmax_block &b, __m512 sum) {
  const __m512 l = _mm512_loadu_ps(t.l + 16 * v);
  _mm512_storeu_ps(t.l + 16 * v, _mm512_fmadd_ps(l, b.alpha, sum));
  _mm512_storeu_ps(t.m + 16 * v, b.m_new);
  _mm512_storeu_ps(t.alpha + 16 * v, b.alpha);
}

/// Online-softmax update of one tile, in place on t.s: masks, raises t.m to the tile's max
/// (log2 units), writes alpha = 2^(m_old - m_new), turns the scores into fp32 probabilities
/// p = 2^(s * scale_log2 - m_new) and sets l = alpha * l + sum of p.
SUANLI_TARGET_AVX512 inline void softmax_update(const attention_tile &t) {
  const int n = t.keys;
  const __m512 c = _mm512_set1_ps(t.scale_log2);
  for (int v = 0; v < k_nv; ++v) {
    const softmax_block b = softmax_stats(t, v);
    float *s = t.s + 16 * v;
    __m512 sum0 = _mm512_setzero_ps(), sum1 = _mm512_setzero_ps();
    int r = 0;
    for (; r + 2 <= n; r += 2) {
      const __m512 p0 = probability(s + r * k_bq, c, b.m_sub);
      const __m512 p1 = probability(s + (r + 1) * k_bq, c, b.m_sub);
      _mm512_storeu_ps(s + r * k_bq, p0);
      _mm512_storeu_ps(s + (r + 1) * k_bq, p1);
      sum0 = _mm512_add_ps(sum0, p0);
      sum1 = _mm512_add_ps(sum1, p1);
    }
    if (r < n) {
      const __m512 p0 = probability(s + r * k_bq, c, b.m_sub);
      _mm512_storeu_ps(s + r * k_bq, p0);
      sum0 = _mm512_add_ps(sum0, p0);
    }
    softmax_finish(t, v, b, _mm512_add_ps(sum0, sum1));
  }
}

/// R key rows of S = K Q^T: s[r][i] = sum_p k[r][p] * q[p][i] (qt is Q^T, D x k_bq).
template <int R, int D>
SUANLI_TARGET_AVX512 inline void scores_rows(const float *qt, const float *k, int64_t ks,
                                             float *s) {
  __m512 acc[R][k_nv];
#pragma GCC unroll 8
  for (int r = 0; r < R; ++r) {
#pragma GCC unroll 4
    for (int v = 0; v < k_nv; ++v) {
      acc[r][v] = _mm512_setzero_ps();
    }
  }
#pragma GCC unroll 2
  for (int p = 0; p < D; ++p) {
    __m512 q[k_nv];
#pragma GCC unroll 4
    for (int v = 0; v < k_nv; ++v) {
      q[v] = _mm512_loadu_ps(qt + p * k_bq + 16 * v);
    }
#pragma GCC unroll 8
    for (int r = 0; r < R; ++r) {
      const __m512 b = _mm512_set1_ps(k[r * ks + p]);
#pragma GCC unroll 4
      for (int v = 0; v < k_nv; ++v) {
        acc[r][v] = _mm512_fmadd_ps(b, q[v], acc[r][v]);
      }
    }
  }
#pragma GCC unroll 8
  for (int r = 0; r < R; ++r) {
#pragma GCC unroll 4
    for (int v = 0; v < k_nv; ++v) {
      _mm512_storeu_ps(s + r * k_bq + 16 * v, acc[r][v]);
    }
  }
}

/// CR dims of O^T = alpha * O^T + V^T P over n keys (o points at dim c0 of O^T, v at dim c0
/// of the first value row, p is P [n][k_bq]).
template <int CR>
SUANLI_TARGET_AVX512 inline void pv_rows(const float *p, const float *v, int64_t vs, int n,
                                         const float *alpha, float *o) {
  __m512 acc[CR][k_nv];
#pragma GCC unroll 4
  for (int w = 0; w < k_nv; ++w) {
    const __m512 a = _mm512_loadu_ps(alpha + 16 * w);
#pragma GCC unroll 8
    for (int c = 0; c < CR; ++c) {
      acc[c][w] = _mm512_mul_ps(_mm512_loadu_ps(o + c * k_bq + 16 * w), a);
    }
  }
  for (int r = 0; r < n; ++r) {
    __m512 pr[k_nv];
#pragma GCC unroll 4
    for (int w = 0; w < k_nv; ++w) {
      pr[w] = _mm512_loadu_ps(p + r * k_bq + 16 * w);
    }
#pragma GCC unroll 8
    for (int c = 0; c < CR; ++c) {
      const __m512 b = _mm512_set1_ps(v[r * vs + c]);
#pragma GCC unroll 4
      for (int w = 0; w < k_nv; ++w) {
        acc[c][w] = _mm512_fmadd_ps(b, pr[w], acc[c][w]);
      }
    }
  }
#pragma GCC unroll 8
  for (int c = 0; c < CR; ++c) {
#pragma GCC unroll 4
    for (int w = 0; w < k_nv; ++w) {
      _mm512_storeu_ps(o + c * k_bq + 16 * w, acc[c][w]);
    }
  }
}

/// S = K Q^T for n key rows, k_rows at a time, then the remainder.
template <int D>
SUANLI_TARGET_AVX512 inline void scores(const float *qt, const float *k, int64_t ks, int n,
                                        float *s) {
  static_assert(k_rows == 6, "the remainder switch below covers 1..5 rows");
  int r = 0;
  for (; r + k_rows <= n; r += k_rows) {
    scores_rows<k_rows, D>(qt, k + r * ks, ks, s + r * k_bq);
  }
  const float *kr = k + r * ks;
  float *sr = s + r * k_bq;
  switch (n - r) {
  case 1: scores_rows<1, D>(qt, kr, ks, sr); break;
  case 2: scores_rows<2, D>(qt, kr, ks, sr); break;
  case 3: scores_rows<3, D>(qt, kr, ks, sr); break;
  case 4: scores_rows<4, D>(qt, kr, ks, sr); break;
  case 5: scores_rows<5, D>(qt, kr, ks, sr); break;
  default: break;
  }
}

/// O^T = alpha * O^T + V^T P for all D dims, k_rows at a time, then the remainder.
template <int D>
SUANLI_TARGET_AVX512 inline void pv(const float *p, const float *v, int64_t vs, int n,
                                    const float *alpha, float *o) {
  int c = 0;
  for (; c + k_rows <= D; c += k_rows) {
    pv_rows<k_rows>(p, v + c, vs, n, alpha, o + c * k_bq);
  }
  if constexpr (D % k_rows != 0) {
    pv_rows<D % k_rows>(p, v + c, vs, n, alpha, o + c * k_bq);
  }
}

/// One fp32 tile: K and V rows of fp32 elements, ks apart.
template <int D>
SUANLI_TARGET_AVX512 inline void step_fp32_rows(const attention_tile &t, const float *k,
                                                const float *v, int64_t ks) {
  scores<D>(static_cast<const float *>(t.q), k, ks, t.keys, t.s);
  softmax_update(t);
  pv<D>(t.s, v, ks, t.keys, t.alpha, t.o);
}

/// rows x D fp32 elements, rows stride apart -> packed rows (no 4 KiB-aliased strides)
template <int D>
SUANLI_TARGET_AVX512 void stage(const float *src, int64_t stride, int rows, float *dst) {
  for (int r = 0; r < rows; ++r) {
#pragma GCC unroll 4
    for (int c = 0; c < D; c += 16) {
      _mm512_storeu_ps(dst + r * D + c, _mm512_loadu_ps(src + r * stride + c));
    }
  }
}

/// One fp32 tile; K and V rows are staged into t.pack first unless already packed.
template <int D> SUANLI_TARGET_AVX512 void step_fp32(const attention_tile &t) {
  if (t.kv_stride == D) {
    step_fp32_rows<D>(t, static_cast<const float *>(t.k), static_cast<const float *>(t.v), D);
    return;
  }
  auto *k = static_cast<float *>(t.pack);
  float *v = k + k_attention_kv_tile * D;
  stage<D>(static_cast<const float *>(t.k), t.kv_stride, t.keys, k);
  stage<D>(static_cast<const float *>(t.v), t.kv_stride, t.keys, v);
  step_fp32_rows<D>(t, k, v, D);
}

} // namespace suanli::cpu::avx512

#endif
