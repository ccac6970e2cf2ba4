#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

namespace suanli::bench {

/// Ends the process when a blocking call (a collective, a kernel) does not return in time:
/// a backend call cannot be interrupted, so on expiry the watchdog prints one line naming what
/// hung and exits with code 3 (under MPI the launcher then ends the other ranks). No report
/// is written, signed or not.
class watchdog {
public:
  /// `who` names this process in the message (e.g. "rank 1 on node-a").
  explicit watchdog(std::string who);
  ~watchdog();
  watchdog(const watchdog &) = delete;
  watchdog &operator=(const watchdog &) = delete;

  /// Start (or restart) the countdown: `what` must finish within seconds (> 0).
  void arm(double seconds, std::string what);
  /// Stop the countdown.
  void disarm();

private:
  void loop();

  std::string who_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool armed_ = false;
  bool quit_ = false;
  std::chrono::steady_clock::time_point deadline_;
  // When the thread wakes next (max() while disarmed): arming with a later deadline, as each
  // timed call does, then wakes no thread that would pre-empt a rank.
  std::chrono::steady_clock::time_point waiting_until_ =
      std::chrono::steady_clock::time_point::max();
  double seconds_ = 0;
  std::string what_;
  std::thread thread_;
};

/// Arms a watchdog for a scope (a no-op when the watchdog is null).
class watch {
public:
  /// Arm dog (if any) for seconds with what.
  watch(watchdog *dog, double seconds, std::string what) : dog_(dog) {
    if (dog_ != nullptr) {
      dog_->arm(seconds, std::move(what));
    }
  }
  ~watch() {
    if (dog_ != nullptr) {
      dog_->disarm();
    }
  }
  watch(const watch &) = delete;
  watch &operator=(const watch &) = delete;

private:
  watchdog *dog_;
};

} // namespace suanli::bench
