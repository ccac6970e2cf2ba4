// run's progress printer: a live line redrawn with \r on a terminal, one line per case otherwise,
// nothing when disabled (--quiet, ranks other than 0).
#include "run_progress.hpp"

#include <gtest/gtest.h>

#include <reports/text_table.hpp>

#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

namespace suanli::tools {
namespace {

std::string contents(std::FILE *f) {
  std::fflush(f);
  std::rewind(f);
  std::string s;
  for (int c = std::fgetc(f); c != EOF; c = std::fgetc(f)) {
    s += static_cast<char>(c);
  }
  return s;
}

bench::case_result passed(const std::string &name) {
  bench::case_result r;
  r.name = name;
  r.status = bench::case_status::pass;
  r.metrics = bench::case_metrics{};
  r.metrics->gflops_median = 24.5;
  return r;
}

TEST(run_progress, one_line_per_finished_case_when_not_live) {
  std::FILE *f = std::tmpfile();
  {
    run_progress p(true, false, f, f);
    p.case_started(0, 2, "gemm.a");
    p.case_finished(0, 2, passed("gemm.a"));
    p.case_started(1, 2, "gemm.b");
    p.case_finished(1, 2, passed("gemm.b"));
  }
  const auto s = contents(f);
  EXPECT_NE(s.find("[1/2] gemm.a  pass  24.5 GFLOP/s"), std::string::npos) << s;
  EXPECT_NE(s.find("[2/2] gemm.b  pass"), std::string::npos) << s;
  EXPECT_EQ(s.find('\r'), std::string::npos);
  std::fclose(f);
}

TEST(run_progress, live_line_is_redrawn_with_carriage_returns_and_cleared_at_the_end) {
  std::FILE *f = std::tmpfile();
  {
    run_progress p(true, true, f, f);
    p.case_started(0, 3, "gemm.a");
    p.case_finished(0, 3, passed("gemm.a"));
    p.case_started(1, 3, "gemm.b");
    p.finish();
  }
  const auto s = contents(f);
  EXPECT_NE(s.find("\r\033[K[1/3] gemm.a  0:00 (total 0:00, ETA -)"), std::string::npos) << s;
  EXPECT_NE(s.find("[2/3] gemm.b"), std::string::npos) << s;
  EXPECT_NE(s.find("ETA 0:00"), std::string::npos) << s;
  EXPECT_NE(s.find("last: pass"), std::string::npos) << s;
  EXPECT_EQ(s.find('\n'), std::string::npos) << "a live line never scrolls";
  EXPECT_EQ(s.substr(s.size() - 4), "\r\033[K");
  std::fclose(f);
}

// A clock the test moves by hand.
struct fake_clock {
  std::chrono::steady_clock::time_point now{};
  void advance(double s) {
    now += std::chrono::duration_cast<std::chrono::steady_clock::duration>(
        std::chrono::duration<double>(s));
  }
  progress_clock fn() {
    return [this] { return now; };
  }
};

size_t count_of(const std::string &s, const std::string &what) {
  size_t n = 0;
  for (size_t at = s.find(what); at != std::string::npos; at = s.find(what, at + 1)) {
    ++n;
  }
  return n;
}

TEST(running_median, is_the_middle_or_the_mean_of_the_two_middles) {
  EXPECT_EQ(running_median_s({}), 0);
  EXPECT_EQ(running_median_s({3e-3}), 3e-3);
  EXPECT_EQ(running_median_s({5, 1, 4, 2, 3}), 3);
  EXPECT_EQ(running_median_s({8, 1, 4, 2}), 3); // (2 + 4) / 2
}

TEST(running_median, shows_the_case_unit) {
  // 2e9 FLOP per call at a median of 80 ms: 25 GFLOP/s.
  EXPECT_EQ(running_median_text({0.09, 0.08, 0.07}, 2e9),
            "median 25.0 GFLOP/s (80.000 ms, 3 samples)")
      << reports::format_seconds(0.08);
  // 2e12 FLOP per call at 0.5 s: 4 TFLOP/s.
  EXPECT_EQ(running_median_text({0.5}, 2e12).substr(0, 19), "median 4.00 TFLOP/s");
  EXPECT_NE(running_median_text({0.5}, 2e12).find("1 sample)"), std::string::npos);
  // Below 10 GFLOP/s two decimals.
  EXPECT_EQ(running_median_text({1.0}, 2.5e9).substr(0, 19), "median 2.50 GFLOP/s");
  // No work count (collectives): a time.
  EXPECT_EQ(running_median_text({2e-3, 1e-3}, 0),
            "median " + reports::format_seconds(1.5e-3) + " (2 samples)");
  EXPECT_EQ(running_median_text({}, 2e9), "");
}

TEST(run_progress, live_line_shows_the_running_median_at_most_every_period) {
  std::FILE *f = std::tmpfile();
  fake_clock clock;
  {
    run_progress p(true, true, f, f, clock.fn(), false);
    p.case_started(0, 2, "gemm.a", 2e9);
    std::vector<double> samples{0.1};
    p.case_sample(0, 2, samples);   // the first sample draws at once: 20 GFLOP/s
    for (int i = 0; i < 100; ++i) { // 100 fast samples within 0.1 s: no redraw
      clock.advance(0.001);
      samples.push_back(0.05);
      p.case_sample(0, 2, samples);
    }
    clock.advance(sample_redraw_period_s); // one period later: redrawn, median 40 GFLOP/s
    samples.push_back(0.05);
    p.case_sample(0, 2, samples);
    p.case_sample(1, 2, samples); // not the case on the line: ignored
    clock.advance(65);
    p.case_finished(0, 2, passed("gemm.a"));
    p.finish();
  }
  const auto s = contents(f);
  EXPECT_EQ(count_of(s, "median 20.0 GFLOP/s"), 1u) << s;
  EXPECT_EQ(count_of(s, "median 40.0 GFLOP/s (50.000 ms, 102 samples)"), 1u) << s;
  EXPECT_EQ(count_of(s, "\r\033[K"), 5u) << s; // start, 2 samples, finished, cleared
  EXPECT_NE(s.find("[1/2] gemm.a  1:05 (total 1:05, ETA 1:05)  last: pass"), std::string::npos)
      << "the running median goes when the case ends; clocks follow the injected clock\n"
      << s;
  std::fclose(f);
}

TEST(run_progress, samples_print_nothing_when_not_live) {
  std::FILE *f = std::tmpfile();
  fake_clock clock;
  {
    run_progress p(true, false, f, f, clock.fn(), false);
    p.case_started(0, 1, "gemm.a", 2e9);
    p.case_sample(0, 1, {0.1, 0.1});
  }
  EXPECT_EQ(contents(f), "");
  std::fclose(f);
}

TEST(run_progress, disabled_prints_nothing) {
  std::FILE *f = std::tmpfile();
  {
    run_progress p(false, true, f, f);
    p.case_started(0, 1, "gemm.a");
    p.case_finished(0, 1, passed("gemm.a"));
  }
  EXPECT_EQ(contents(f), "");
  std::fclose(f);
}

} // namespace
} // namespace suanli::tools
