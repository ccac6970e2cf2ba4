#pragma once

#include <kernels/abi/suanli_backend.h>

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace suanli::bench {

/// FLOP counting convention of GEMM results (DESIGN.md, Conventions).
inline constexpr std::string_view gemm_flops_convention = "suanli.gemm.flops.v1";
/// Text of that convention, written into reports.
inline constexpr std::string_view gemm_flops_convention_text =
    "FLOPs = 2*M*N*K per batch entry; epilogue (alpha, beta) not counted";

/// A named GEMM precision: the types of inputs, accumulator and output (one table row each).
struct gemm_precision {
  std::string_view name;  ///< suite-facing name: fp64, fp32, tf32, bf16, fp16, int8
  sl_dtype a, b;          ///< input types
  sl_dtype compute;       ///< accumulator type
  sl_dtype c;             ///< output type
  std::string_view label; ///< e.g. "bf16*bf16 -> fp32 accumulate -> bf16"
};

/// All precisions the suite language knows.
[[nodiscard]] std::span<const gemm_precision> gemm_precisions();

/// Look up a precision by name; nullptr when unknown.
[[nodiscard]] const gemm_precision *find_gemm_precision(std::string_view name);

/// Comma-separated names of all precisions, for error messages.
[[nodiscard]] std::string gemm_precision_names();

/// Largest accepted single dimension [elements] (fits in int32 for every BLAS).
inline constexpr int64_t gemm_max_dim = (int64_t{1} << 31) - 1;

/// One GEMM problem: C[b] = op(A[b]) * op(B[b]), row-major, tight or given leading dimensions.
struct gemm_problem {
  const gemm_precision *precision = nullptr; ///< never null in a valid problem
  int64_t m = 0, n = 0, k = 0;               ///< dimensions [elements]
  int64_t batch = 1;                         ///< strided batch count
  bool trans_a = false, trans_b = false;     ///< A stored k x m / B stored n x k
  int64_t lda = 0, ldb = 0, ldc = 0;         ///< leading dimensions; 0 means tight
  int64_t cold_bytes = 0; ///< cold mode (measure_policy::cold_bytes, set by the runner) [bytes]

  /// Effective leading dimensions (tight when 0).
  [[nodiscard]] int64_t lead_a() const;
  [[nodiscard]] int64_t lead_b() const;
  [[nodiscard]] int64_t lead_c() const;
  /// Elements of one batch entry of each operand, including leading-dimension padding.
  [[nodiscard]] int64_t elems_a() const;
  [[nodiscard]] int64_t elems_b() const;
  [[nodiscard]] int64_t elems_c() const;
  /// Bytes of each whole operand (all batch entries).
  [[nodiscard]] uint64_t bytes_a() const;
  [[nodiscard]] uint64_t bytes_b() const;
  [[nodiscard]] uint64_t bytes_c() const;
  /// Total device memory the case needs for A, B and C [bytes].
  [[nodiscard]] uint64_t bytes_total() const;
  /// Work per call under gemm_flops_convention [FLOP].
  [[nodiscard]] double flops() const;
  /// Shape label "MxNxK" with "bB" and transpose marks when present, e.g. "4096x4096x4096".
  [[nodiscard]] std::string shape_label() const;
  /// The ABI descriptor for this problem.
  [[nodiscard]] sl_gemm_desc to_desc() const;
  /// Why the problem is invalid (zero, negative, overflowing dimension, short leading
  /// dimension), or nullopt when it is valid.
  [[nodiscard]] std::optional<std::string> invalid_reason() const;
};

} // namespace suanli::bench
