#pragma once
// A `suanli` process run in the background for tests that must bound its time, send it
// signals, or watch its output while it runs.

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace suanli::test {

/// `suanli <args>` started at construction, stdout and stderr going to files in a folder.
class suanli_child {
public:
  /// Start SUANLI_BIN with `args` and the extra environment `env` ("NAME=value" each); its
  /// output goes to `dir`/child.out and `dir`/child.err.
  suanli_child(const std::vector<std::string> &args, const std::vector<std::string> &env,
               const std::filesystem::path &dir);
  /// Kills (SIGKILL) and reaps the process if it still runs.
  ~suanli_child();
  suanli_child(const suanli_child &) = delete;
  suanli_child &operator=(const suanli_child &) = delete;

  /// Wait until the process ends, at most until `limit_s` seconds after its start: its exit
  /// status, 128 + signal when a signal ended it, or -1 when it still ran (it is then killed).
  int wait(double limit_s);
  /// Poll (every 10 ms) until `ready()` holds: true then; false when the process ended first
  /// or `limit_s` seconds after its start passed.
  bool wait_until(const std::function<bool()> &ready, double limit_s);
  /// Send a signal to the process.
  void send(int signal) const;
  /// Everything it wrote to stdout so far.
  [[nodiscard]] std::string out() const;
  /// Everything it wrote to stderr so far.
  [[nodiscard]] std::string err() const;
  /// Seconds since the start [s].
  [[nodiscard]] double seconds() const;

private:
  bool reap(bool block); // true when the process has ended (status_ then holds its status)

  std::filesystem::path dir_;
  pid_t pid_ = -1;
  int status_ = -1;
  std::chrono::steady_clock::time_point start_;
};

} // namespace suanli::test
