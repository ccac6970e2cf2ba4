#pragma once

#include <bench/backend.hpp>
#include <bench/measure_policy.hpp>
#include <bench/stats.hpp>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace suanli::bench {

/// Everything the measurement loop observed for one case.
struct measurement {
  std::vector<double> samples_s;   ///< per-call time of each sample (batch total / batch) [s]
  int64_t batch = 1;               ///< calls per sample
  int64_t warmup_calls = 0;        ///< calls made during warm-up
  double warmup_s = 0;             ///< wall time of the warm-up [s]
  double sampled_s = 0;            ///< device time summed over all samples [s]
  double wall_s = 0;               ///< wall time of warm-up and sampling [s]
  bool converged = false;          ///< the CI target was met before the time cap
  std::string stop_reason;         ///< why sampling stopped, in words
  summary time_s;                  ///< statistics of samples_s [s]
};

/// Called after each timed sample with the measurement so far (samples_s and sampled_s are
/// current; time_s is not yet filled). It may throw to abandon the case.
using sample_observer = std::function<void(const measurement &)>;

/// Warm up, choose the batch, then sample until the stopping rule of the policy holds
/// (DESIGN.md, Measurement); `observe`, if set, sees every sample. Throws bench::error if the
/// backend fails.
[[nodiscard]] measurement measure(prepared_case &target, const measure_policy &policy,
                                  const sample_observer &observe = {});

} // namespace suanli::bench
