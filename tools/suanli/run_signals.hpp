#pragma once
// Signals during `suanli run` (docs/faults.md): a crash inside a backend call ends the run with
// one line naming the call and the case (exit 3); SIGINT or SIGTERM stops it at the next check
// point (after a sample, between cases) without a report, saying what was completed.

#include <csignal>
#include <cstddef>
#include <stdexcept>
#include <string>
#include <vector>

namespace suanli::tools {

/// Thrown by run_signals::check_interrupt() once SIGINT or SIGTERM has arrived. Not a
/// bench::error, so no case catches it: it ends the whole run.
class run_interrupted : public std::runtime_error {
public:
  /// The signal that arrived (SIGINT or SIGTERM).
  explicit run_interrupted(int signal);
  /// SIGINT or SIGTERM.
  [[nodiscard]] int signal() const noexcept { return signal_; }

private:
  int signal_;
};

/// The exit code of a run interrupted by `signal`: 128 + signal (130 SIGINT, 143 SIGTERM), as
/// shells report a process ended by that signal.
[[nodiscard]] int interrupted_exit_code(int signal) noexcept;

/// Installs the run's handlers for its lifetime and restores the previous ones on destruction.
///  - SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT inside a backend call (bench::backend_call): one
///    line "suanli: error: <backend> backend crashed (<signal>) in <call> during case <case>..."
///    and _exit(3). Outside any backend call it is suanli's own bug: the line says so and the
///    previous handler (a sanitizer's, or the default) takes the signal.
///  - SIGINT, SIGTERM: the first sets a flag that check_interrupt() turns into run_interrupted;
///    a second one ends the process at once (exit 128 + signal) with one line.
/// One instance at a time.
class run_signals {
public:
  /// `who` names this process in messages ("this process", "rank 1 on node-a").
  explicit run_signals(const std::string &who);
  /// Restores the handlers that were installed before.
  ~run_signals();
  run_signals(const run_signals &) = delete;
  run_signals &operator=(const run_signals &) = delete;

  /// The backend whose calls a crash is blamed on.
  void set_backend(const std::string &name);
  /// The run has `total` cases (per-device and collective) for this process.
  void set_total(size_t total) { total_ = total; }
  /// A case starts.
  void case_started(const std::string &name);
  /// The case that started last ended (whatever its status).
  void case_finished();
  /// Throw run_interrupted if SIGINT or SIGTERM arrived. Async-signal-safe state only.
  static void check_interrupt();
  /// One line for an interrupted run: the signal, the case in progress, how many cases of how
  /// many were completed and their names (the last few when many).
  [[nodiscard]] std::string interrupted_line(int signal) const;

private:
  std::vector<std::string> completed_; // names, across phases
  std::string current_;                // case in progress ("" between cases)
  size_t total_ = 0;                   // cases this process runs
};

} // namespace suanli::tools
