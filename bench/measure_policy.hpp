#pragma once

#include <cstdint>

namespace suanli::bench {

/// How long and how precisely one case is measured (DESIGN.md, Measurement).
struct measure_policy {
  double warmup_s = 0.2;       ///< warm-up wall time, at least one call [s]
  int64_t min_samples = 10;    ///< never stop before this many samples
  double min_time_s = 1.0;     ///< never stop before this much summed sample time [s]
  double max_time_s = 30.0;    ///< time cap; stopping here is reported "did not converge" [s]
  double target_rel_ci = 0.02; ///< stop when (CI high - CI low) / median <= this
  double min_sample_s = 2e-3;  ///< a sample lasts at least this long; short calls are batched [s]
  /// Cold mode: the calls rotate over copies of the operands so that each call's buffers were
  /// last touched at least this many bytes of other buffers ago (caches hold none of them);
  /// 0 = warm, one set of buffers reused by every call [bytes]. GEMM and attention only.
  int64_t cold_bytes = 0;
};

} // namespace suanli::bench
