#include <bench/engine.hpp>

#include <bench/error.hpp>
#include <bench/stopping_rule.hpp>
#include <bench/text.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>

namespace suanli::bench {
namespace {

using wall_clock = std::chrono::steady_clock;

constexpr int64_t max_batch = int64_t{1} << 30; // calls per sample, at most

double seconds_since(wall_clock::time_point start) {
  return std::chrono::duration<double>(wall_clock::now() - start).count();
}

} // namespace

measurement measure(prepared_case &target, const measure_policy &policy,
                    const sample_observer &observe) {
  measurement m;
  const auto start = wall_clock::now();
  const auto timed = [&](int64_t calls) {
    const uint64_t ns = target.run(calls);
    if (ns == 0) {
      fail_environment("the backend's timer reported 0 ns for " + std::to_string(calls) +
                       " calls: it does not measure");
    }
    return static_cast<double>(ns) * 1e-9;
  };

  // Warm-up: at least one call, until warmup_s of wall time has passed.
  double last_call_s = 0;
  do {
    last_call_s = timed(1);
    ++m.warmup_calls;
  } while (seconds_since(start) < policy.warmup_s);
  m.warmup_s = seconds_since(start);

  // Batch short calls so one sample lasts at least min_sample_s; confirm the estimate with
  // untimed calibration samples (a single call's time can mislead) and grow it until it holds.
  m.batch = std::clamp<int64_t>(
      static_cast<int64_t>(std::ceil(policy.min_sample_s / std::max(last_call_s, 1e-9))), 1,
      max_batch);
  // A warm-up call far longer than a sample needs no calibration (long calls, e.g. attention at
  // 16k tokens, would pay for it with a whole extra call); 8x leaves room for a slow first call.
  const int rounds = last_call_s >= 8.0 * policy.min_sample_s ? 0 : 8;
  for (int round = 0; round < rounds && m.batch < max_batch; ++round) {
    const double t = timed(m.batch);
    if (t >= 0.5 * policy.min_sample_s) {
      break;
    }
    const double grow = std::min(1024.0, std::ceil(policy.min_sample_s / std::max(t, 1e-9)));
    m.batch = std::min<int64_t>(max_batch, m.batch * static_cast<int64_t>(grow));
  }

  // What is verified afterwards must come from the timed calls.
  target.poison_output();
  const auto sampling_start = wall_clock::now();
  stopping_rule rule(policy);
  for (;;) {
    const double sample = timed(m.batch);
    m.samples_s.push_back(sample / static_cast<double>(m.batch));
    m.sampled_s += sample;
    if (observe) {
      observe(m);
    }
    if (rule.done(m, seconds_since(sampling_start))) {
      break;
    }
  }
  m.wall_s = seconds_since(start);
  m.time_s = summarize(m.samples_s);
  return m;
}

} // namespace suanli::bench
