#pragma once

#include <bench/engine.hpp>
#include <bench/measure_policy.hpp>

#include <cstdint>

namespace suanli::bench {

/// The stopping rule of DESIGN.md (Measurement), shared by the single-device and the
/// collective engines: stop when the 95% CI of the median is within the policy's relative
/// width (checked once the minimum samples and time are met), or at the time cap, or at an
/// optional sample cap; the last two are reported as "did not converge".
class stopping_rule {
public:
  /// max_samples: 0 for no sample cap.
  explicit stopping_rule(const measure_policy &policy, int64_t max_samples = 0)
      : policy_(policy), max_samples_(max_samples) {}

  /// After a sample was appended to m.samples_s (and m.sampled_s updated), with sampling
  /// running for elapsed_s: true when sampling stops, with m.converged and m.stop_reason set.
  [[nodiscard]] bool done(measurement &m, double elapsed_s);

private:
  const measure_policy &policy_;
  int64_t max_samples_;
  int64_t last_checked_ = 0;
};

} // namespace suanli::bench
