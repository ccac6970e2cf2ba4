// The attention driver: splits the forward pass into (batch, query head, query tile) items run
// in parallel, packs each query tile, walks its key/value tiles (skipping the ones the causal
// mask hides entirely, masking only the diagonal ones) through the ISA kernel, then normalises
// and writes O and LSE. Memory: one workspace slice per thread, a few tiles each.

#include <kernels/cpu/attention_plan.hpp>
#include <kernels/cpu/half.hpp>

#include <omp.h>

#include <algorithm>
#include <cmath>
#include <cstring>

namespace suanli::cpu {

namespace {

constexpr int64_t k_bq = k_attention_q_tile;
constexpr int64_t k_bk = k_attention_kv_tile;
constexpr uint64_t k_align_bytes = 64;

uint64_t round_up(uint64_t bytes) {
  return (bytes + k_align_bytes - 1) / k_align_bytes * k_align_bytes;
}

// Offsets of one thread's buffers in its workspace slice [bytes].
struct thread_layout {
  uint64_t q = 0, o = 0, m = 0, l = 0, alpha = 0, s = 0, pack = 0, bytes = 0;
};

thread_layout layout_for(const sl_attention_desc &d) {
  thread_layout w;
  const auto take = [&w](uint64_t bytes) {
    const uint64_t at = w.bytes;
    w.bytes += round_up(bytes);
    return at;
  };
  const auto bq = static_cast<uint64_t>(k_bq);
  w.q = take(bq * static_cast<uint64_t>(d.head_dim_qk) * 4);
  w.o = take(bq * static_cast<uint64_t>(d.head_dim_v) * 4);
  w.m = take(bq * 4);
  w.l = take(bq * 4);
  w.alpha = take(bq * 4);
  w.s = take(static_cast<uint64_t>(k_bk) * bq * 4);
  w.pack = take(attention_pack_bytes(std::max(d.head_dim_qk, d.head_dim_v)));
  return w;
}

// Where head h of batch entry b starts in a tensor, and the distance between its rows.
struct tensor_view {
  int64_t seq, heads, dim;
  bool bshd;
  int64_t head_base(int64_t b, int64_t h) const {
    return bshd ? (b * seq * heads + h) * dim : (b * heads + h) * seq * dim;
  }
  int64_t row_stride() const { return bshd ? heads * dim : dim; }
};

// rows x d of Q (rows stride apart) -> Q^T [d][k_bq] fp32, or bf16 pairs [d/2][k_bq]; lanes
// past rows are 0.
void pack_q(const void *q, sl_dtype type, bool pairs, int64_t stride, int64_t rows, int64_t d,
            void *dst) {
  if (type == SL_DTYPE_FP32 || !pairs) {
    auto *out = static_cast<float *>(dst);
    std::fill(out, out + d * k_bq, 0.0f);
    for (int64_t i = 0; i < rows; ++i) {
      for (int64_t p = 0; p < d; ++p) {
        out[p * k_bq + i] = type == SL_DTYPE_FP32
                                ? static_cast<const float *>(q)[i * stride + p]
                                : bf16_to_float(static_cast<const uint16_t *>(q)[i * stride + p]);
      }
    }
    return;
  }
  auto *out = static_cast<uint32_t *>(dst);
  std::fill(out, out + d / 2 * k_bq, 0u);
  const auto *in = static_cast<const uint16_t *>(q);
  for (int64_t i = 0; i < rows; ++i) {
    for (int64_t p = 0; p < d / 2; ++p) {
      const uint16_t *pair = in + i * stride + 2 * p;
      out[p * k_bq + i] = static_cast<uint32_t>(pair[0]) | static_cast<uint32_t>(pair[1]) << 16;
    }
  }
}

// One query tile: rows queries from i0 of head h of batch entry b.
struct q_tile {
  int64_t b, h, i0, rows;
};

class runner {
public:
  runner(const sl_attention_plan &plan, const void *q, const void *k, const void *v, void *o,
         float *lse)
      : d_(plan.desc), plan_(plan), q_(q), k_(k), v_(v), o_(o),
        lse_(lse), qv_{d_.seq_q, d_.heads_q, d_.head_dim_qk, d_.layout == SL_LAYOUT_BSHD},
        // K and V share one view: plans have head_dim_qk == head_dim_v
        kv_{d_.seq_kv, d_.heads_kv, d_.head_dim_qk, d_.layout == SL_LAYOUT_BSHD},
        ov_{d_.seq_q, d_.heads_q, d_.head_dim_v, d_.layout == SL_LAYOUT_BSHD},
        elem_(static_cast<int64_t>(sl_dtype_size(d_.qkv_type))), layout_(layout_for(d_)),
        scale_log2_(static_cast<float>(d_.softmax_scale * 1.4426950408889634)) {}

  // Runs one tile with the workspace slice ws.
  void run(const q_tile &t, char *ws) const {
    const int64_t dq = d_.head_dim_qk, dv = d_.head_dim_v;
    const int64_t group = d_.heads_q / d_.heads_kv;
    const int64_t q_off = (qv_.head_base(t.b, t.h) + t.i0 * qv_.row_stride()) * elem_;
    pack_q(static_cast<const char *>(q_) + q_off, d_.qkv_type, plan_.kernels->bf16_pairs,
           qv_.row_stride(), t.rows, dq, ws + layout_.q);
    auto *m = reinterpret_cast<float *>(ws + layout_.m);
    auto *l = reinterpret_cast<float *>(ws + layout_.l);
    auto *acc = reinterpret_cast<float *>(ws + layout_.o);
    std::fill(m, m + k_bq, -INFINITY);
    std::fill(l, l + k_bq, 0.0f);
    std::fill(acc, acc + dv * k_bq, 0.0f);

    // keys the last query of the tile may see
    const int64_t off = plan_.causal_offset;
    const int64_t kv_end =
        d_.causal != 0 ? std::clamp<int64_t>(t.i0 + t.rows + off, 0, d_.seq_kv) : d_.seq_kv;
    const int64_t kv_head = kv_.head_base(t.b, t.h / group);
    attention_tile tile{};
    tile.q = ws + layout_.q;
    tile.kv_stride = kv_.row_stride();
    tile.scale_log2 = scale_log2_;
    tile.m = m;
    tile.l = l;
    tile.o = acc;
    tile.s = reinterpret_cast<float *>(ws + layout_.s);
    tile.alpha = reinterpret_cast<float *>(ws + layout_.alpha);
    tile.pack = ws + layout_.pack;
    for (int64_t j0 = 0; j0 < kv_end; j0 += k_bk) {
      const int64_t keys = std::min(k_bk, kv_end - j0);
      const int64_t kv_off = (kv_head + j0 * kv_.row_stride()) * elem_;
      tile.k = static_cast<const char *>(k_) + kv_off;
      tile.v = static_cast<const char *>(v_) + kv_off;
      tile.keys = static_cast<int32_t>(keys);
      // the first query sees keys up to i0 + off: a tile past that needs the mask
      tile.masked = d_.causal != 0 && j0 + keys - 1 > t.i0 + off ? 1 : 0;
      tile.mask_shift = tile.masked != 0 ? static_cast<int32_t>(j0 - t.i0 - off) : 0;
      plan_.step(tile);
    }
    write_out(t, m, l, acc);
  }

private:
  // O = O^T / l row by row (0 where no key was seen), LSE = m ln 2 + ln l (-inf likewise).
  void write_out(const q_tile &t, const float *m, const float *l, const float *acc) const {
    const int64_t dv = d_.head_dim_v;
    const int64_t base = ov_.head_base(t.b, t.h) + t.i0 * ov_.row_stride();
    for (int64_t i = 0; i < t.rows; ++i) {
      const float inv = l[i] > 0 ? 1.0f / l[i] : 0.0f;
      const int64_t row = base + i * ov_.row_stride();
      if (d_.o_type == SL_DTYPE_FP32) {
        auto *out = static_cast<float *>(o_) + row;
        for (int64_t c = 0; c < dv; ++c) {
          out[c] = acc[c * k_bq + i] * inv;
        }
      } else {
        auto *out = static_cast<uint16_t *>(o_) + row;
        for (int64_t c = 0; c < dv; ++c) {
          out[c] = float_to_bf16(acc[c * k_bq + i] * inv);
        }
      }
      if (lse_ != nullptr && d_.want_lse != 0) {
        lse_[(t.b * d_.heads_q + t.h) * d_.seq_q + t.i0 + i] =
            l[i] > 0 ? static_cast<float>(static_cast<double>(m[i]) * 0.6931471805599453 +
                                          std::log(static_cast<double>(l[i])))
                     : -INFINITY;
      }
    }
  }

  const sl_attention_desc &d_;
  const sl_attention_plan &plan_;
  const void *q_, *k_, *v_;
  void *o_;
  float *lse_;
  tensor_view qv_, kv_, ov_;
  int64_t elem_;
  thread_layout layout_;
  float scale_log2_;
};

} // namespace

uint64_t attention_thread_bytes(const sl_attention_desc &desc) {
  return layout_for(desc).bytes;
}

void attention_run(const sl_attention_plan &plan, const void *q, const void *k, const void *v,
                   void *o, float *lse, void *workspace) {
  const sl_attention_desc &d = plan.desc;
  const runner r(plan, q, k, v, o, lse);
  const auto addr = reinterpret_cast<uintptr_t>(workspace);
  char *base =
      static_cast<char *>(workspace) + (k_align_bytes - addr % k_align_bytes) % k_align_bytes;
  const int64_t q_tiles = (d.seq_q + k_bq - 1) / k_bq;
  const int64_t heads = d.batch * d.heads_q;
  const int64_t items = q_tiles * heads;
#pragma omp parallel num_threads(plan.threads)
  {
    char *ws = base + static_cast<uint64_t>(omp_get_thread_num()) * plan.thread_bytes;
#pragma omp for schedule(dynamic, 1)
    for (int64_t w = 0; w < items; ++w) {
      // the last query tiles first: under a causal mask they are the longest
      const int64_t qt = q_tiles - 1 - w / heads;
      const int64_t bh = w % heads;
      const int64_t i0 = qt * k_bq;
      r.run(q_tile{bh / d.heads_q, bh % d.heads_q, i0, std::min(k_bq, d.seq_q - i0)}, ws);
    }
  }
}

} // namespace suanli::cpu
