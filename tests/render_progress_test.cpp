// run's progress printer: a live line redrawn with \r on a terminal, one line per case otherwise,
// nothing when disabled (--quiet, ranks other than 0).
#include "run_progress.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <string>

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
