#include <kernels/reference/attention.hpp>

#include <algorithm>
#include <cmath>
#include <limits>

namespace suanli::reference {

int64_t attention_index(int32_t layout, int64_t b, int64_t h, int64_t s, int64_t d, int64_t heads,
                        int64_t seq, int64_t dim) {
  return layout == SL_LAYOUT_BSHD ? ((b * seq + s) * heads + h) * dim + d
                                  : ((b * heads + h) * seq + s) * dim + d;
}

int64_t attention_visible_keys(const sl_attention_desc &d, int64_t i) {
  if (d.causal == 0) {
    return d.seq_kv;
  }
  return std::clamp<int64_t>(i + d.causal_offset + 1, 0, d.seq_kv);
}

kv_block load_kv(const sl_attention_desc &d, const operand &k, const operand &v, int64_t b,
                 int64_t g) {
  kv_block kv;
  kv.k.resize(static_cast<size_t>(d.seq_kv * d.head_dim_qk));
  kv.v.resize(static_cast<size_t>(d.seq_kv * d.head_dim_v));
  for (int64_t j = 0; j < d.seq_kv; ++j) {
    for (int64_t t = 0; t < d.head_dim_qk; ++t) {
      kv.k[static_cast<size_t>(j * d.head_dim_qk + t)] =
          k.at(attention_index(d.layout, b, g, j, t, d.heads_kv, d.seq_kv, d.head_dim_qk));
    }
    for (int64_t t = 0; t < d.head_dim_v; ++t) {
      kv.v[static_cast<size_t>(j * d.head_dim_v + t)] =
          v.at(attention_index(d.layout, b, g, j, t, d.heads_kv, d.seq_kv, d.head_dim_v));
    }
  }
  return kv;
}

attention_row attention_reference_row(const sl_attention_desc &d, const operand &q,
                                      const kv_block &kv, int64_t b, int64_t h, int64_t i) {
  attention_row r;
  const auto dqk = static_cast<size_t>(d.head_dim_qk);
  const auto dv = static_cast<size_t>(d.head_dim_v);
  r.o.assign(dv, 0.0);
  r.pv_norm.assign(dv, 0.0);
  r.spread.assign(dv, 0.0);
  r.keys = attention_visible_keys(d, i);
  if (r.keys == 0) {
    r.lse = -std::numeric_limits<double>::infinity();
    return r;
  }
  std::vector<double> qrow(dqk);
  double qn = 0;
  for (size_t t = 0; t < dqk; ++t) {
    qrow[t] = q.at(attention_index(d.layout, b, h, i, static_cast<int64_t>(t), d.heads_q, d.seq_q,
                                   d.head_dim_qk));
    qn += qrow[t] * qrow[t];
  }
  std::vector<double> s(static_cast<size_t>(r.keys));
  double smax = -std::numeric_limits<double>::infinity(), kmax = 0;
  for (int64_t j = 0; j < r.keys; ++j) {
    const double *kj = &kv.k[static_cast<size_t>(j) * dqk];
    double dot = 0, kn = 0;
    for (size_t t = 0; t < dqk; ++t) {
      dot += qrow[t] * kj[t];
      kn += kj[t] * kj[t];
    }
    s[static_cast<size_t>(j)] = d.softmax_scale * dot;
    smax = std::max(smax, s[static_cast<size_t>(j)]);
    kmax = std::max(kmax, kn);
    r.max_abs_score = std::max(r.max_abs_score, std::fabs(s[static_cast<size_t>(j)]));
  }
  r.score_scale = std::fabs(d.softmax_scale) * std::sqrt(qn) * std::sqrt(kmax);
  double sum = 0;
  for (auto &x : s) {
    x = std::exp(x - smax);
    sum += x;
  }
  for (int64_t j = 0; j < r.keys; ++j) {
    const double p = s[static_cast<size_t>(j)] / sum;
    const double *vj = &kv.v[static_cast<size_t>(j) * dv];
    for (size_t t = 0; t < dv; ++t) {
      r.o[t] += p * vj[t];
      r.pv_norm[t] += (p * vj[t]) * (p * vj[t]);
    }
  }
  for (auto &x : r.pv_norm) {
    x = std::sqrt(x);
  }
  for (int64_t j = 0; j < r.keys; ++j) { // second pass: o is final now
    const double p = s[static_cast<size_t>(j)] / sum;
    const double *vj = &kv.v[static_cast<size_t>(j) * dv];
    for (size_t t = 0; t < dv; ++t) {
      r.spread[t] += p * p * (vj[t] - r.o[t]) * (vj[t] - r.o[t]);
    }
  }
  for (auto &x : r.spread) {
    x = std::sqrt(x);
  }
  r.lse = smax + std::log(sum);
  return r;
}

} // namespace suanli::reference
