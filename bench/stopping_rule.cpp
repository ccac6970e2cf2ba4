#include <bench/stopping_rule.hpp>

#include <bench/stats.hpp>
#include <bench/text.hpp>

#include <algorithm>

namespace suanli::bench {

bool stopping_rule::done(measurement &m, double elapsed_s) {
  const auto n = static_cast<int64_t>(m.samples_s.size());
  // Re-evaluating the CI sorts all samples; do it every sample while few, then on 5% growth.
  const bool due = n < 64 || n >= last_checked_ + std::max<int64_t>(1, last_checked_ / 20);
  if (n >= policy_.min_samples && m.sampled_s >= policy_.min_time_s && due) {
    last_checked_ = n;
    const summary s = summarize(m.samples_s);
    if (s.ci_level >= 0.95 && s.rel_ci_width() <= policy_.target_rel_ci) {
      m.converged = true;
      m.stop_reason = "95% CI of the median within " +
                      significant(policy_.target_rel_ci * 100.0, 3) + "% of it";
      return true;
    }
  }
  if (elapsed_s >= policy_.max_time_s && n >= 2) {
    m.stop_reason = "did not converge: time cap of " + significant(policy_.max_time_s, 4) +
                    " s reached before the CI target";
    return true;
  }
  if (max_samples_ > 0 && n >= max_samples_) {
    m.stop_reason = "did not converge: sample cap of " + std::to_string(max_samples_) +
                    " reached before the CI target";
    return true;
  }
  return false;
}

} // namespace suanli::bench
