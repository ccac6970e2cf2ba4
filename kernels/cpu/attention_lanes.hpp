// The attention tile kernels written once over GCC/Clang vector extensions, for the ISA levels
// without AVX-512. Not a normal header: a kernel file defines SUANLI_LANES_BYTES (vector width
// [bytes]) and SUANLI_LANES_FMA (a fused multiply-add for `lanes`, or nothing), switches the
// target on if it needs to, and includes this inside its own anonymous namespace. The layout and
// the algorithm are those of the AVX-512 kernels (attention_avx512.hpp): queries in lanes,
// S = K Q^T by register blocks of key rows x 2 vectors of queries, online softmax lane-wise,
// O^T = alpha O^T + V^T P by blocks of dims x 2 vectors. bf16 tiles are widened to fp32 first.
// NOLINT: deliberately no #pragma once (each kernel file includes it once).

using lanes = float __attribute__((vector_size(SUANLI_LANES_BYTES)));
using int_lanes = int32_t __attribute__((vector_size(SUANLI_LANES_BYTES)));

constexpr int k_w = SUANLI_LANES_BYTES / 4; // floats per vector
constexpr int k_bq = k_attention_q_tile;    // floats per score row
constexpr int k_group = 2 * k_w;            // queries per register block
constexpr int k_rows = 6;                   // key rows (or O dims) per register block

inline lanes load(const float *p) {
  lanes v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

inline void store(float *p, lanes v) {
  std::memcpy(p, &v, sizeof v);
}

inline lanes splat(float x) {
  return lanes{} + x;
}

inline lanes madd(lanes a, lanes b, lanes c) {
#ifdef SUANLI_LANES_FMA
  return SUANLI_LANES_FMA(a, b, c);
#else
  return a * b + c;
#endif
}

// 2^x lane-wise (attention_exp.hpp); 0 below k_exp2_min, for -inf and NaN
inline lanes exp2(lanes x) {
  const auto live = x >= splat(k_exp2_min);
  const lanes xc = live ? x : splat(0.0f);
  const lanes n = (xc + splat(12582912.0f)) - splat(12582912.0f);
  const lanes f = xc - n;
  lanes p = splat(k_exp2_poly[6]);
  for (int i = 5; i >= 0; --i) {
    p = madd(p, f, splat(k_exp2_poly[i]));
  }
  const int_lanes bits = (__builtin_convertvector(n, int_lanes) + 127) << 23;
  return live ? p * (lanes)bits : splat(0.0f); // bit pattern of 2^n
}

// R key rows of S = K Q^T for queries [i0, i0 + k_group)
template <int R, int D>
inline void scores_rows(const float *qt, const float *k, int64_t ks, float *s) {
  lanes acc[R][2] = {};
  for (int p = 0; p < D; ++p) {
    const lanes q0 = load(qt + p * k_bq), q1 = load(qt + p * k_bq + k_w);
    for (int r = 0; r < R; ++r) {
      const lanes b = splat(k[r * ks + p]);
      acc[r][0] = madd(b, q0, acc[r][0]);
      acc[r][1] = madd(b, q1, acc[r][1]);
    }
  }
  for (int r = 0; r < R; ++r) {
    store(s + r * k_bq, acc[r][0]);
    store(s + r * k_bq + k_w, acc[r][1]);
  }
}

// CR dims of O^T = alpha O^T + V^T P for queries [i0, i0 + k_group)
template <int CR>
inline void pv_rows(const float *p, const float *v, int64_t vs, int n, const float *alpha,
                    float *o) {
  const lanes a0 = load(alpha), a1 = load(alpha + k_w);
  lanes acc[CR][2];
  for (int c = 0; c < CR; ++c) {
    acc[c][0] = load(o + c * k_bq) * a0;
    acc[c][1] = load(o + c * k_bq + k_w) * a1;
  }
  for (int r = 0; r < n; ++r) {
    const lanes p0 = load(p + r * k_bq), p1 = load(p + r * k_bq + k_w);
    for (int c = 0; c < CR; ++c) {
      const lanes b = splat(v[r * vs + c]);
      acc[c][0] = madd(b, p0, acc[c][0]);
      acc[c][1] = madd(b, p1, acc[c][1]);
    }
  }
  for (int c = 0; c < CR; ++c) {
    store(o + c * k_bq, acc[c][0]);
    store(o + c * k_bq + k_w, acc[c][1]);
  }
}

template <int D> inline void scores(const float *qt, const float *k, int64_t ks, int n, float *s) {
  for (int i0 = 0; i0 < k_bq; i0 += k_group) {
    int r = 0;
    for (; r + k_rows <= n; r += k_rows) {
      scores_rows<k_rows, D>(qt + i0, k + r * ks, ks, s + r * k_bq + i0);
    }
    for (; r < n; ++r) {
      scores_rows<1, D>(qt + i0, k + r * ks, ks, s + r * k_bq + i0);
    }
  }
}

template <int D>
inline void pv(const float *p, const float *v, int64_t vs, int n, const float *alpha, float *o) {
  for (int i0 = 0; i0 < k_bq; i0 += k_group) {
    int c = 0;
    for (; c + k_rows <= D; c += k_rows) {
      pv_rows<k_rows>(p + i0, v + c, vs, n, alpha + i0, o + c * k_bq + i0);
    }
    if constexpr (D % k_rows != 0) {
      pv_rows<D % k_rows>(p + i0, v + c, vs, n, alpha + i0, o + c * k_bq + i0);
    }
  }
}

// mask, new max, alpha, probabilities and l, one vector of queries at a time
inline void softmax_update(const attention_tile &t) {
  const int n = t.keys;
  const lanes c = splat(t.scale_log2);
  if (t.masked != 0) {
    for (int r = 0; r < n; ++r) {
      float *s = t.s + r * k_bq;
      std::fill(s, s + std::clamp(r + t.mask_shift, 0, k_bq), -INFINITY);
    }
  }
  for (int i = 0; i < k_bq; i += k_w) {
    lanes mx = splat(-INFINITY);
    for (int r = 0; r < n; ++r) {
      const lanes x = load(t.s + r * k_bq + i);
      mx = x > mx ? x : mx;
    }
    const lanes m_old = load(t.m + i);
    const lanes scaled = mx * c;
    const lanes m_new = scaled > m_old ? scaled : m_old;
    const lanes m_sub = m_new == splat(-INFINITY) ? splat(0.0f) : m_new;
    const lanes alpha = exp2(m_old - m_sub);
    lanes sum = splat(0.0f);
    for (int r = 0; r < n; ++r) {
      float *s = t.s + r * k_bq + i;
      const lanes p = exp2(madd(load(s), c, -m_sub));
      store(s, p);
      sum += p;
    }
    store(t.l + i, madd(load(t.l + i), alpha, sum));
    store(t.m + i, m_new);
    store(t.alpha + i, alpha);
  }
}

template <int D>
inline void step_rows(const attention_tile &t, const float *k, const float *v, int64_t ks) {
  scores<D>(static_cast<const float *>(t.q), k, ks, t.keys, t.s);
  softmax_update(t);
  pv<D>(t.s, v, ks, t.keys, t.alpha, t.o);
}

// K and V rows are staged into t.pack unless already packed (no 4 KiB-aliased strides)
template <int D> void step_fp32(const attention_tile &t) {
  const auto *k = static_cast<const float *>(t.k);
  const auto *v = static_cast<const float *>(t.v);
  if (t.kv_stride == D) {
    step_rows<D>(t, k, v, D);
    return;
  }
  auto *kp = static_cast<float *>(t.pack);
  float *vp = kp + k_attention_kv_tile * D;
  for (int r = 0; r < t.keys; ++r) {
    for (int c = 0; c < D; c += k_w) { // not memcpy: `rep movs` is slow on these short rows
      store(kp + r * D + c, load(k + r * t.kv_stride + c));
      store(vp + r * D + c, load(v + r * t.kv_stride + c));
    }
  }
  step_rows<D>(t, kp, vp, D);
}

template <int D> inline void widen(const uint16_t *src, int64_t stride, int rows, float *dst) {
  for (int r = 0; r < rows; ++r) {
    for (int c = 0; c < D; ++c) {
      const uint32_t bits = static_cast<uint32_t>(src[r * stride + c]) << 16;
      std::memcpy(dst + r * D + c, &bits, sizeof bits);
    }
  }
}

template <int D> void step_bf16(const attention_tile &t) {
  auto *k = static_cast<float *>(t.pack);
  float *v = k + k_attention_kv_tile * D;
  widen<D>(static_cast<const uint16_t *>(t.k), t.kv_stride, t.keys, k);
  widen<D>(static_cast<const uint16_t *>(t.v), t.kv_stride, t.keys, v);
  step_rows<D>(t, k, v, D);
}
