// The AVX-512 BF16 attention kernels. bf16 tiles use _mm512_dpbf16_ps (two bf16 products per
// fp32 lane, fp32 accumulation) for both products, as FlashAttention does on GPUs:
//  - S = K Q^T: Q^T is packed by the driver as bf16 pairs [d/2][q_tile] (dims 2p, 2p+1 of each
//    query in one uint32); a key row's two dims are one uint32 of K, broadcast as it is;
//  - P is rounded to bf16 pairs of keys (2r, 2r+1) while the softmax writes it, V is packed
//    into matching pairs [keys/2][d]; O^T accumulates in fp32. l sums the fp32 probabilities.
// fp32 tiles use the AVX-512F fp32 kernels.

#include <kernels/cpu/attention_avx512.hpp>

namespace suanli::cpu {

#if defined(__x86_64__)

#define SUANLI_TARGET_AVX512_BF16                                                                  \
  __attribute__((target("avx512f,avx512dq,avx512bw,avx512vl,fma,avx512bf16")))

namespace avx512_bf16 {
namespace {

using avx512::k_bq;
using avx512::k_nv;
using avx512::k_rows;

SUANLI_TARGET_AVX512_BF16 inline __m512bh as_bh(__m512i x) {
  return reinterpret_cast<__m512bh>(x);
}

SUANLI_TARGET_AVX512_BF16 inline __m512i broadcast_pair(const uint16_t *p) {
  uint32_t pair = 0;
  std::memcpy(&pair, p, sizeof pair);
  return _mm512_set1_epi32(static_cast<int>(pair));
}

// R key rows of S = K Q^T from bf16 pairs
template <int R, int D>
SUANLI_TARGET_AVX512_BF16 inline void scores_rows(const uint32_t *qt, const uint16_t *k, int64_t ks,
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
  for (int p = 0; p < D / 2; ++p) {
    __m512i q[k_nv];
#pragma GCC unroll 4
    for (int v = 0; v < k_nv; ++v) {
      q[v] = _mm512_loadu_si512(qt + p * k_bq + 16 * v);
    }
#pragma GCC unroll 8
    for (int r = 0; r < R; ++r) {
      const __m512bh b = as_bh(broadcast_pair(k + r * ks + 2 * p));
#pragma GCC unroll 4
      for (int v = 0; v < k_nv; ++v) {
        acc[r][v] = _mm512_dpbf16_ps(acc[r][v], b, as_bh(q[v]));
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

template <int D>
SUANLI_TARGET_AVX512_BF16 void scores(const uint32_t *qt, const uint16_t *k, int64_t ks, int n,
                                      float *s) {
  static_assert(k_rows == 6, "the remainder switch below covers 1..5 rows");
  int r = 0;
  for (; r + k_rows <= n; r += k_rows) {
    scores_rows<k_rows, D>(qt, k + r * ks, ks, s + r * k_bq);
  }
  const uint16_t *kr = k + r * ks;
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

// The online-softmax update (see avx512::softmax_update), storing P as bf16 key pairs in place:
// uint32 row r2 of t.s holds keys 2 r2 and 2 r2 + 1 (0 past the last key).
SUANLI_TARGET_AVX512_BF16 void softmax_update_pairs(const attention_tile &t) {
  const int n = t.keys;
  const __m512 c = _mm512_set1_ps(t.scale_log2);
  const __m512i interleave = _mm512_setr_epi32(
      0x00100000, 0x00110001, 0x00120002, 0x00130003, 0x00140004, 0x00150005, 0x00160006,
      0x00170007, 0x00180008, 0x00190009, 0x001a000a, 0x001b000b, 0x001c000c, 0x001d000d,
      0x001e000e, 0x001f000f); // word 2i <- word i (even key), word 2i+1 <- word 16+i (odd key)
  for (int v = 0; v < k_nv; ++v) {
    const avx512::softmax_block b = avx512::softmax_stats(t, v);
    float *s = t.s + 16 * v;
    auto *p2 = reinterpret_cast<uint32_t *>(s);
    __m512 sum0 = _mm512_setzero_ps(), sum1 = _mm512_setzero_ps();
    for (int r = 0; r < n; r += 2) {
      const __m512 p0 = avx512::probability(s + r * k_bq, c, b.m_sub);
      const __m512 p1 =
          r + 1 < n ? avx512::probability(s + (r + 1) * k_bq, c, b.m_sub) : _mm512_setzero_ps();
      sum0 = _mm512_add_ps(sum0, p0);
      sum1 = _mm512_add_ps(sum1, p1);
      const auto both = reinterpret_cast<__m512i>(_mm512_cvtne2ps_pbh(p1, p0)); // p0 low half
      _mm512_storeu_si512(p2 + (r / 2) * k_bq, _mm512_permutexvar_epi16(interleave, both));
    }
    avx512::softmax_finish(t, v, b, _mm512_add_ps(sum0, sum1));
  }
}

// V rows 2 r2 and 2 r2 + 1 -> uint32 row r2 of pairs [n2][D] (0 past the last row)
template <int D>
SUANLI_TARGET_AVX512_BF16 void pack_v_pairs(const uint16_t *v, int64_t vs, int n, uint32_t *dst) {
  for (int r = 0; r < n; r += 2) {
    const uint16_t *even = v + r * vs;
    const uint16_t *odd = r + 1 < n ? v + (r + 1) * vs : even;
#pragma GCC unroll 4
    for (int c = 0; c < D; c += 16) {
      const __m512i lo =
          _mm512_cvtepu16_epi32(_mm256_loadu_si256(reinterpret_cast<const __m256i *>(even + c)));
      const __m512i hi = r + 1 < n
                             ? _mm512_slli_epi32(_mm512_cvtepu16_epi32(_mm256_loadu_si256(
                                                     reinterpret_cast<const __m256i *>(odd + c))),
                                                 16)
                             : _mm512_setzero_si512();
      _mm512_storeu_si512(dst + (r / 2) * D + c, _mm512_or_si512(lo, hi));
    }
  }
}

// CR dims of O^T = alpha * O^T + V^T P over n2 key pairs
template <int CR>
SUANLI_TARGET_AVX512_BF16 inline void pv_rows(const uint32_t *p2, const uint32_t *v2, int d, int n2,
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
  for (int r = 0; r < n2; ++r) {
    __m512i pr[k_nv];
#pragma GCC unroll 4
    for (int w = 0; w < k_nv; ++w) {
      pr[w] = _mm512_loadu_si512(p2 + r * k_bq + 16 * w);
    }
#pragma GCC unroll 8
    for (int c = 0; c < CR; ++c) {
      const __m512bh b = as_bh(_mm512_set1_epi32(static_cast<int>(v2[r * d + c])));
#pragma GCC unroll 4
      for (int w = 0; w < k_nv; ++w) {
        acc[c][w] = _mm512_dpbf16_ps(acc[c][w], b, as_bh(pr[w]));
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

template <int D> SUANLI_TARGET_AVX512_BF16 void step_bf16(const attention_tile &t) {
  const auto *k = static_cast<const uint16_t *>(t.k);
  const auto *v = static_cast<const uint16_t *>(t.v);
  auto *v2 = static_cast<uint32_t *>(t.pack);
  const int n2 = (t.keys + 1) / 2;
  scores<D>(static_cast<const uint32_t *>(t.q), k, t.kv_stride, t.keys, t.s);
  softmax_update_pairs(t);
  pack_v_pairs<D>(v, t.kv_stride, t.keys, v2);
  const auto *p2 = reinterpret_cast<const uint32_t *>(t.s);
  int c = 0;
  for (; c + k_rows <= D; c += k_rows) {
    pv_rows<k_rows>(p2, v2 + c, D, n2, t.alpha, t.o + c * k_bq);
  }
  if constexpr (D % k_rows != 0) {
    pv_rows<D % k_rows>(p2, v2 + c, D, n2, t.alpha, t.o + c * k_bq);
  }
}

constexpr attention_kernels k_kernels = {
    "avx512_bf16",
    "avx512f avx512dq avx512bw avx512vl fma avx512_bf16",
    true,
    {avx512::step_fp32<64>, avx512::step_fp32<128>, avx512::step_fp32<256>},
    {step_bf16<64>, step_bf16<128>, step_bf16<256>},
};

} // namespace
} // namespace avx512_bf16

const attention_kernels *attention_kernels_avx512_bf16() {
  return &avx512_bf16::k_kernels;
}

#else

const attention_kernels *attention_kernels_avx512_bf16() {
  return nullptr;
}

#endif

} // namespace suanli::cpu
