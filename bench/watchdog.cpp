#include <bench/watchdog.hpp>

#include <bench/backend_call.hpp>
#include <bench/text.hpp>

#include <unistd.h>

#include <cstdio>
#include <iostream>

namespace suanli::bench {

watchdog::watchdog(std::string who) : who_(std::move(who)), thread_([this] { loop(); }) {}

watchdog::~watchdog() {
  {
    std::lock_guard lock(mutex_);
    quit_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void watchdog::arm(double seconds, std::string what) {
  bool wake = false;
  {
    std::lock_guard lock(mutex_);
    armed_ = true;
    seconds_ = seconds;
    what_ = std::move(what);
    deadline_ = std::chrono::steady_clock::now() +
                std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                    std::chrono::duration<double>(seconds));
    // The thread re-checks deadline_ whenever it wakes; only an earlier one needs it now.
    wake = deadline_ < waiting_until_;
  }
  if (wake) {
    wake_.notify_all();
  }
}

void watchdog::disarm() {
  std::lock_guard lock(mutex_);
  armed_ = false;
}

void watchdog::loop() {
  std::unique_lock lock(mutex_);
  while (!quit_) {
    if (!armed_) {
      waiting_until_ = std::chrono::steady_clock::time_point::max();
      wake_.wait(lock);
      continue;
    }
    if (std::chrono::steady_clock::now() >= deadline_) {
      const char *call = backend_call_in_progress();
      const std::string line =
          "suanli: error: timeout: " + what_ + " did not finish within " + fixed(seconds_, 1) +
          " s on " + who_ +
          (call != nullptr ? std::string(" (stuck in backend call ") + call + ")" : "") +
          "; ending the job (exit 3), no report written\n";
      std::fputs(line.c_str(), stderr);
      std::fflush(stderr);
      std::fflush(stdout);
      _exit(3);
    }
    waiting_until_ = deadline_;
    wake_.wait_until(lock, waiting_until_);
  }
}

} // namespace suanli::bench
