// The watchdog ends the process with exit 3 and one line when armed work overruns, and never
// fires for work that finishes, however often it is re-armed (the collective engine re-arms it
// around every timed call).
#include <bench/watchdog.hpp>

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

namespace {

using namespace std::chrono_literals;

TEST(Watchdog, OverrunEndsTheProcessWithExit3AndOneLine) {
  EXPECT_EXIT(
      {
        suanli::bench::watchdog dog("rank 7 on test");
        dog.arm(0.2, "case x (8B on 2 ranks): call 3");
        std::this_thread::sleep_for(10s);
      },
      testing::ExitedWithCode(3),
      "timeout: case x \\(8B on 2 ranks\\): call 3 did not finish within 0.2 s on rank 7 on test");
}

TEST(Watchdog, DisarmedWorkNeverFires) {
  suanli::bench::watchdog dog("test");
  for (int i = 0; i < 2000; ++i) {
    suanli::bench::watch w(&dog, 0.05, "call");
  }
  dog.arm(0.05, "short");
  dog.disarm();
  std::this_thread::sleep_for(200ms);
  SUCCEED(); // still alive
}

TEST(Watchdog, ReArmingWithALaterDeadlineKeepsItAndAnEarlierOneFiresOnTime) {
  EXPECT_EXIT(
      {
        suanli::bench::watchdog dog("test");
        dog.arm(60, "long");
        std::this_thread::sleep_for(50ms); // the thread now sleeps until the 60 s deadline
        dog.arm(0.1, "short");             // earlier: it must wake up for it
        std::this_thread::sleep_for(10s);
      },
      testing::ExitedWithCode(3), "timeout: short did not finish within 0.1 s");
}

} // namespace
