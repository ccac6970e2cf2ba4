#pragma once

#include <kernels/abi/suanli_backend.h>

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace suanli::bench {

/// FLOP counting convention of attention forward results (DESIGN.md, Conventions).
inline constexpr std::string_view attention_flops_convention = "suanli.attention.fwd.flops.v1";
/// Text of that convention, written into reports.
inline constexpr std::string_view attention_flops_convention_text =
    "FLOPs = 2*B*Hq*(d_qk + d_v)*(number of unmasked query-key pairs); causal counts exactly the "
    "unmasked pairs; GQA/MQA count query heads; softmax and scaling not counted";

/// A named attention precision: Q/K/V type, accumulator and output (one table row each).
struct attention_precision {
  std::string_view name;  ///< suite-facing name: fp32, bf16, fp16
  sl_dtype qkv;           ///< type of Q, K and V
  sl_dtype compute;       ///< accumulator type
  sl_dtype o;             ///< type of O
  std::string_view label; ///< e.g. "bf16 Q,K,V -> fp32 accumulate -> bf16 O"
};

/// All attention precisions the suite language knows.
[[nodiscard]] std::span<const attention_precision> attention_precisions();
/// Look up an attention precision by name; nullptr when unknown.
[[nodiscard]] const attention_precision *find_attention_precision(std::string_view name);
/// Comma-separated names of all attention precisions, for error messages.
[[nodiscard]] std::string attention_precision_names();

/// How the causal mask is aligned when seq_q != seq_kv.
enum class causal_alignment {
  top_left,    ///< query i sees keys j <= i
  bottom_right ///< query i sees keys j <= i + seq_kv - seq_q (FlashAttention >= 2.1)
};

/// One attention forward problem (ABI: sl_attention_desc).
struct attention_problem {
  const attention_precision *precision = nullptr;          ///< never null in a valid problem
  sl_attention_layout layout = SL_LAYOUT_BSHD;             ///< layout of Q, K, V and O
  int64_t batch = 1;                                       ///< B
  int64_t seq_q = 0, seq_kv = 0;                           ///< sequence lengths [tokens]
  int64_t heads_q = 0, heads_kv = 0;                       ///< Hq (also O) and Hkv
  int64_t head_dim_qk = 0, head_dim_v = 0;                 ///< d_qk and d_v
  bool causal = false;                                     ///< causal mask
  causal_alignment align = causal_alignment::bottom_right; ///< used when causal
  bool want_lse = false;                                   ///< also write log-sum-exp
  int64_t cold_bytes = 0; ///< cold mode (measure_policy::cold_bytes, set by the runner) [bytes]

  /// causal_offset of the ABI: query i sees keys j <= i + offset.
  [[nodiscard]] int64_t causal_offset() const;
  /// Keys query i may see: min(seq_kv, max(0, i + offset + 1)) when causal, else seq_kv.
  [[nodiscard]] int64_t visible_keys(int64_t i) const;
  /// Unmasked query-key pairs of one (batch, head).
  [[nodiscard]] double unmasked_pairs() const;
  /// Default softmax scale 1/sqrt(d_qk).
  [[nodiscard]] double softmax_scale() const;
  /// Elements of Q, K, V, O (all batches and heads).
  [[nodiscard]] int64_t elems_q() const;
  [[nodiscard]] int64_t elems_k() const;
  [[nodiscard]] int64_t elems_v() const;
  [[nodiscard]] int64_t elems_o() const;
  /// Bytes of each tensor and of LSE (0 unless want_lse).
  [[nodiscard]] uint64_t bytes_q() const;
  [[nodiscard]] uint64_t bytes_k() const;
  [[nodiscard]] uint64_t bytes_v() const;
  [[nodiscard]] uint64_t bytes_o() const;
  [[nodiscard]] uint64_t bytes_lse() const;
  /// Device memory for Q, K, V, O and LSE [bytes].
  [[nodiscard]] uint64_t bytes_total() const;
  /// Linear index of element (b, h, s, d) of a tensor with `heads` heads, `seq` tokens and
  /// head dimension `dim` under the problem's layout.
  [[nodiscard]] int64_t index(int64_t b, int64_t h, int64_t s, int64_t d, int64_t heads,
                              int64_t seq, int64_t dim) const;
  /// Work per call under attention_flops_convention [FLOP].
  [[nodiscard]] double flops() const;
  /// Shape label, e.g. "b1_s4096_h32kv8_d128_causal" (Skv shown when it differs).
  [[nodiscard]] std::string shape_label() const;
  /// The ABI descriptor.
  [[nodiscard]] sl_attention_desc to_desc() const;
  /// Why the problem is invalid (zero or overflowing size, heads_q not a multiple of heads_kv),
  /// or nullopt when valid. Head dimensions a backend does not offer are its "unsupported".
  [[nodiscard]] std::optional<std::string> invalid_reason() const;
};

} // namespace suanli::bench
