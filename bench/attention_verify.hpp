#pragma once

#include <bench/attention_problem.hpp>
#include <bench/backend.hpp>

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

namespace suanli::bench {

/// How an attention output is checked (DESIGN.md, Verification).
struct attention_verify_options {
  int rows_per_head = 4; ///< query rows recomputed exactly in fp64 in every (batch, head)
  double safety = 8.0;   ///< multiple of the rounding-error estimate an element may differ by
};

/// Outcome of checking one attention output.
struct attention_verification {
  bool passed = false;                ///< every check held
  std::string method;                 ///< what was done, in words
  int64_t rows_checked = 0;           ///< sampled rows recomputed in fp64
  int64_t rows_failed = 0;            ///< sampled rows with an element outside tolerance
  int64_t elements_bounded = 0;       ///< output elements checked against the range of visible V
  int64_t elements_out_of_bounds = 0; ///< elements outside it (or not finite)
  int64_t lse_checked = 0;            ///< LSE values of sampled rows compared
  double worst_ratio = 0;             ///< largest |error| / tolerance in sampled rows
  std::string first_failure;          ///< where and by how much the first failure was, or empty
  double seconds = 0;                 ///< wall time of the verification [s]
};

/// Check an attention output: `o` holds O (o_type, the problem's layout) followed by LSE (fp32)
/// when the problem wants it. Inputs are regenerated from `seeds` (Q = a, K = b, V = c). Every
/// output element must be finite and inside [min, max] of the V column over the keys its query
/// sees (a convex combination cannot leave it); `rows_per_head` random query rows of every
/// head, chosen by `check_seed`, are recomputed exactly in fp64 and compared within dtype-aware
/// tolerances.
[[nodiscard]] attention_verification verify_attention(const attention_problem &attn,
                                                      const tensor_seeds &seeds,
                                                      std::span<const std::byte> o,
                                                      uint64_t check_seed,
                                                      const attention_verify_options &options = {});

} // namespace suanli::bench
