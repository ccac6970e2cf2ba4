#include <bench/attention_problem.hpp>

#include <kernels/reference/attention.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <tuple>
#include <utility>

namespace suanli::bench {
namespace {

constexpr std::array<attention_precision, 3> precisions{{
    {"fp32", SL_DTYPE_FP32, SL_DTYPE_FP32, SL_DTYPE_FP32,
     "fp32 Q,K,V -> fp32 accumulate -> fp32 O"},
    {"bf16", SL_DTYPE_BF16, SL_DTYPE_FP32, SL_DTYPE_BF16,
     "bf16 Q,K,V -> fp32 accumulate -> bf16 O"},
    {"fp16", SL_DTYPE_FP16, SL_DTYPE_FP32, SL_DTYPE_FP16,
     "fp16 Q,K,V -> fp32 accumulate -> fp16 O"},
}};

constexpr int64_t max_extent = (int64_t{1} << 31) - 1;

} // namespace

std::span<const attention_precision> attention_precisions() {
  return precisions;
}

const attention_precision *find_attention_precision(std::string_view name) {
  for (const auto &p : precisions) {
    if (p.name == name) {
      return &p;
    }
  }
  return nullptr;
}

std::string attention_precision_names() {
  std::string out;
  for (const auto &p : precisions) {
    out += (out.empty() ? "" : ", ") + std::string(p.name);
  }
  return out;
}

int64_t attention_problem::causal_offset() const {
  return causal && align == causal_alignment::bottom_right ? seq_kv - seq_q : 0;
}

int64_t attention_problem::visible_keys(int64_t i) const {
  if (!causal) {
    return seq_kv;
  }
  return std::clamp<int64_t>(i + causal_offset() + 1, 0, seq_kv);
}

double attention_problem::unmasked_pairs() const {
  if (!causal) {
    return static_cast<double>(seq_q) * static_cast<double>(seq_kv);
  }
  // Rows are visible_keys(i) = clamp(i + off + 1, 0, Skv): a ramp between two plateaus.
  double total = 0;
  const int64_t off = causal_offset();
  const int64_t first_full = std::clamp<int64_t>(seq_kv - off - 1, 0, seq_q); // rows >= see all
  const int64_t first_some = std::clamp<int64_t>(-off, 0, seq_q);             // rows >= see 1+
  // Ramp rows [first_some, first_full): visible = i + off + 1.
  const auto ramp = [&](int64_t i) { return static_cast<double>(i + off + 1); };
  if (first_full > first_some) {
    total += (ramp(first_some) + ramp(first_full - 1)) *
             static_cast<double>(first_full - first_some) / 2.0;
  }
  total +=
      static_cast<double>(seq_q - std::max(first_full, first_some)) * static_cast<double>(seq_kv);
  return total;
}

double attention_problem::softmax_scale() const {
  return 1.0 / std::sqrt(static_cast<double>(head_dim_qk));
}

int64_t attention_problem::elems_q() const {
  return batch * heads_q * seq_q * head_dim_qk;
}
int64_t attention_problem::elems_k() const {
  return batch * heads_kv * seq_kv * head_dim_qk;
}
int64_t attention_problem::elems_v() const {
  return batch * heads_kv * seq_kv * head_dim_v;
}
int64_t attention_problem::elems_o() const {
  return batch * heads_q * seq_q * head_dim_v;
}

uint64_t attention_problem::bytes_q() const {
  return static_cast<uint64_t>(elems_q()) * sl_dtype_size(precision->qkv);
}
uint64_t attention_problem::bytes_k() const {
  return static_cast<uint64_t>(elems_k()) * sl_dtype_size(precision->qkv);
}
uint64_t attention_problem::bytes_v() const {
  return static_cast<uint64_t>(elems_v()) * sl_dtype_size(precision->qkv);
}
uint64_t attention_problem::bytes_o() const {
  return static_cast<uint64_t>(elems_o()) * sl_dtype_size(precision->o);
}
uint64_t attention_problem::bytes_lse() const {
  return want_lse ? static_cast<uint64_t>(batch * heads_q * seq_q) * sizeof(float) : 0;
}
uint64_t attention_problem::bytes_total() const {
  return bytes_q() + bytes_k() + bytes_v() + bytes_o() + bytes_lse();
}

int64_t attention_problem::index(int64_t b, int64_t h, int64_t s, int64_t d, int64_t heads,
                                 int64_t seq, int64_t dim) const {
  return reference::attention_index(layout, b, h, s, d, heads, seq, dim);
}

double attention_problem::flops() const {
  return 2.0 * static_cast<double>(batch) * static_cast<double>(heads_q) *
         static_cast<double>(head_dim_qk + head_dim_v) * unmasked_pairs();
}

std::string attention_problem::shape_label() const {
  std::string s = "b" + std::to_string(batch) + "_s" + std::to_string(seq_q);
  if (seq_kv != seq_q) {
    s += "kv" + std::to_string(seq_kv);
  }
  s += "_h" + std::to_string(heads_q);
  if (heads_kv != heads_q) {
    s += "kv" + std::to_string(heads_kv);
  }
  s += "_d" + std::to_string(head_dim_qk);
  if (head_dim_v != head_dim_qk) {
    s += "v" + std::to_string(head_dim_v);
  }
  if (causal) {
    s += align == causal_alignment::bottom_right || seq_q == seq_kv ? "_causal" : "_causal_tl";
  }
  if (layout == SL_LAYOUT_BHSD) {
    s += "_bhsd";
  }
  return s;
}

sl_attention_desc attention_problem::to_desc() const {
  sl_attention_desc d{};
  d.struct_size = sizeof(d);
  d.qkv_type = precision->qkv;
  d.o_type = precision->o;
  d.compute_type = precision->compute;
  d.layout = layout;
  d.causal = causal ? 1 : 0;
  d.batch = batch;
  d.seq_q = seq_q;
  d.seq_kv = seq_kv;
  d.heads_q = heads_q;
  d.heads_kv = heads_kv;
  d.head_dim_qk = head_dim_qk;
  d.head_dim_v = head_dim_v;
  d.causal_offset = causal_offset();
  d.softmax_scale = softmax_scale();
  d.want_lse = want_lse ? 1 : 0;
  return d;
}

std::optional<std::string> attention_problem::invalid_reason() const {
  if (precision == nullptr) {
    return "no precision";
  }
  const std::array<std::pair<const char *, int64_t>, 7> dims{{{"batch", batch},
                                                              {"seq_q", seq_q},
                                                              {"seq_kv", seq_kv},
                                                              {"heads_q", heads_q},
                                                              {"heads_kv", heads_kv},
                                                              {"head_dim_qk", head_dim_qk},
                                                              {"head_dim_v", head_dim_v}}};
  for (const auto &[label, v] : dims) {
    if (v <= 0) {
      return std::string(label) + " = " + std::to_string(v) + " must be >= 1";
    }
    if (v > max_extent) {
      return std::string(label) + " = " + std::to_string(v) + " overflows: at most " +
             std::to_string(max_extent);
    }
  }
  if (heads_q % heads_kv != 0) {
    return "heads_q = " + std::to_string(heads_q) +
           " is not a multiple of heads_kv = " + std::to_string(heads_kv) +
           " (GQA groups query heads evenly over key/value heads)";
  }
  // Every tensor's byte size must fit in 63 bits.
  for (const auto &[heads, seq, dim] :
       {std::tuple{heads_q, seq_q, head_dim_qk}, std::tuple{heads_kv, seq_kv, head_dim_qk},
        std::tuple{heads_kv, seq_kv, head_dim_v}, std::tuple{heads_q, seq_q, head_dim_v}}) {
    const double bytes = static_cast<double>(batch) * static_cast<double>(heads) *
                         static_cast<double>(seq) * static_cast<double>(dim) * 8.0;
    if (bytes > 9.0e18) {
      return "tensor size overflows 64-bit byte counts";
    }
  }
  return std::nullopt;
}

} // namespace suanli::bench
