#pragma once
// Progress of `suanli run`: when stderr is a terminal, one live line on stderr (case i/N, name,
// elapsed, ETA, the last finished case's median), redrawn with \r; otherwise one line per
// finished case on stdout (where scripts such as tests/cluster_faults.sh have always read them).

#include <bench/case_result.hpp>

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <string>
#include <thread>

namespace suanli::tools {

/// Prints the progress of a run's cases. Silent when disabled (--quiet, or not rank 0).
class run_progress {
public:
  /// `enabled`: print at all; `live`: redraw one line on `live_out` (a terminal) instead of
  /// writing one line per finished case to `line_out`.
  run_progress(bool enabled, bool live, std::FILE *live_out = stderr, std::FILE *line_out = stdout);
  /// Enabled as given, live when stderr is a terminal whose TERM is not "dumb".
  [[nodiscard]] static bool stderr_is_live();
  /// Stops the redraw thread and clears the live line.
  ~run_progress();
  run_progress(const run_progress &) = delete;
  run_progress &operator=(const run_progress &) = delete;

  /// A case starts: `index` of `total` (0-based) in the current phase.
  void case_started(size_t index, size_t total, const std::string &name);
  /// A case ended with its result.
  void case_finished(size_t index, size_t total, const bench::case_result &r);
  /// Clears the live line (call before printing anything else to the terminal).
  void finish();

private:
  void redraw_locked(); // live line from the current state; mu_ held
  void tick();          // redraw thread body

  bool enabled_, live_;
  std::FILE *out_;      // live line
  std::FILE *line_out_; // one line per case
  std::mutex mu_;
  std::condition_variable wake_;
  std::thread ticker_;
  bool stop_ = false, drawn_ = false;
  std::chrono::steady_clock::time_point start_, case_start_;
  size_t index_ = 0, total_ = 0, finished_ = 0;
  std::string name_, last_; // running case; last finished case's summary
};

/// One finished case as text: "[i/N] name  PASS  24.5 GFLOP/s  median 10.97 ms".
[[nodiscard]] std::string case_summary(size_t index, size_t total, const bench::case_result &r);

} // namespace suanli::tools
