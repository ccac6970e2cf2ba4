#pragma once
// Progress of `suanli run`: when stderr is a terminal, one live line on stderr (case i/N, name,
// elapsed, ETA, the running median of the case in progress, the last finished case), redrawn
// with \r; otherwise one line per finished case on stdout (where scripts such as
// tests/cluster_faults.sh have always read them).

#include <bench/case_result.hpp>

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace suanli::tools {

/// The clock the progress printer reads; injectable so that tests need no real time.
using progress_clock = std::function<std::chrono::steady_clock::time_point()>;

/// Least wall time between two redraws caused by samples [s]: a fast case reports thousands of
/// samples, and the running median is computed only when the line is redrawn.
inline constexpr double sample_redraw_period_s = 0.2;

/// Prints the progress of a run's cases. Silent when disabled (--quiet, or not rank 0).
class run_progress {
public:
  /// `enabled`: print at all; `live`: redraw one line on `live_out` (a terminal) instead of
  /// writing one line per finished case to `line_out`.
  /// `clock`: time source (steady_clock::now when empty); `ticker`: redraw the live line every
  /// 0.5 s from a thread so that the clocks move while a case runs (tests turn it off).
  run_progress(bool enabled, bool live, std::FILE *live_out = stderr, std::FILE *line_out = stdout,
               progress_clock clock = {}, bool ticker = true);
  /// Enabled as given, live when stderr is a terminal whose TERM is not "dumb".
  [[nodiscard]] static bool stderr_is_live();
  /// Stops the redraw thread and clears the live line.
  ~run_progress();
  run_progress(const run_progress &) = delete;
  run_progress &operator=(const run_progress &) = delete;

  /// A case starts: `index` of `total` (0-based) in the current phase; `flops_per_call` is its
  /// work per call [FLOP] (0: show the running median as a time).
  void case_started(size_t index, size_t total, const std::string &name, double flops_per_call = 0);
  /// A timed sample of the case in progress ended; `samples_s` holds every per-call time so far
  /// [s]. On a live line, redraws with the running median, at most once per
  /// sample_redraw_period_s (the median is computed only then); otherwise does nothing.
  void case_sample(size_t index, size_t total, const std::vector<double> &samples_s);
  /// A case ended with its result.
  void case_finished(size_t index, size_t total, const bench::case_result &r);
  /// Clears the live line (call before printing anything else to the terminal).
  void finish();

private:
  void redraw_locked(); // live line from the current state; mu_ held
  void tick();          // redraw thread body
  [[nodiscard]] double seconds_since(std::chrono::steady_clock::time_point t) const;

  bool enabled_, live_;
  std::FILE *out_;      // live line
  std::FILE *line_out_; // one line per case
  progress_clock clock_;
  std::mutex mu_;
  std::condition_variable wake_;
  std::thread ticker_;
  bool stop_ = false, drawn_ = false;
  std::chrono::steady_clock::time_point start_, case_start_, sample_drawn_;
  bool sample_drawn_once_ = false; // a sample of the running case has redrawn the line
  size_t index_ = 0, total_ = 0, finished_ = 0;
  double flops_ = 0;                  // work per call of the running case [FLOP]
  std::string name_, running_, last_; // running case; its running median; last finished case
};

/// The median of `samples_s` [s] (the middle two averaged for an even count, as bench::summarize
/// does), found with nth_element on a copy; 0 for no samples.
[[nodiscard]] double running_median_s(const std::vector<double> &samples_s);

/// The running median in the case's natural unit: "median 24.5 GFLOP/s (1.23 ms, 57 samples)"
/// when `flops_per_call` [FLOP] is positive (TFLOP/s from 1e12 FLOP/s on), else
/// "median 1.23 ms (57 samples)"; empty for no samples.
[[nodiscard]] std::string running_median_text(const std::vector<double> &samples_s,
                                              double flops_per_call);

/// One finished case as text: "[i/N] name  PASS  24.5 GFLOP/s  median 10.97 ms".
[[nodiscard]] std::string case_summary(size_t index, size_t total, const bench::case_result &r);

} // namespace suanli::tools
