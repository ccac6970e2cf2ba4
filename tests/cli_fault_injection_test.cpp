// Fault injection (docs/faults.md): `suanli run` on a plugin told to fail at a chosen call, and
// runs interrupted by SIGINT or SIGTERM. Each fault gives one clear line, the documented exit
// code, no signed report with partial data, and ends well inside its bound.
#include "cli_child.hpp"
#include "cli_support.hpp"

#include <reports/base64.hpp>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <signal.h>

#include <algorithm>
#include <filesystem>

namespace suanli::test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr double bound_s = 60; // a run that should end in seconds; generous for a loaded machine

class cli_faults : public ::testing::Test {
protected:
  static void SetUpTestSuite() {
    key_dir_ = fresh_dir("fault_keys");
    ASSERT_EQ(run_suanli("keygen --out '" + (key_dir_ / "k").string() + "'").exit_code, 0);
  }
  static void TearDownTestSuite() { fs::remove_all(key_dir_); }
  void SetUp() override {
    const std::string name = ::testing::UnitTest::GetInstance()->current_test_info()->name();
    dir_ = fresh_dir("fault_" + name);
    io_ = fresh_dir("fault_io_" + name);
  }
  void TearDown() override {
    child_.reset();
    fs::remove_all(dir_);
    fs::remove_all(io_);
  }

  // `suanli run` of `suite` on the fault plugin with SUANLI_FAULT=fault, signed with the test
  // key, report to dir_/r.json.
  std::unique_ptr<suanli_child> start(const std::string &fault,
                                      const std::string &suite = "fault_tiny.toml",
                                      const std::vector<std::string> &extra = {}) {
    const std::string key = (key_dir_ / "k.key").string(), out = (dir_ / "r.json").string();
    std::vector<std::string> args{"run", "--suite", cli_data(suite), "--threads", "1"};
    args.insert(args.end(), {"--backend-path", FAULT_PLUGIN, "--backend", "fault"});
    args.insert(args.end(), {"--key", key, "--out", out});
    args.insert(args.end(), extra.begin(), extra.end());
    return std::make_unique<suanli_child>(args, std::vector<std::string>{"SUANLI_FAULT=" + fault},
                                          io_);
  }

  // Run to the end (within bound_s); the exit code.
  int run(const std::string &fault, const std::vector<std::string> &extra = {}) {
    child_ = start(fault, "fault_tiny.toml", extra);
    const int code = child_->wait(bound_s);
    seconds_ = child_->seconds();
    EXPECT_LT(seconds_, bound_s) << "the run did not end within its bound";
    return code;
  }

  // The error line on stderr: exactly one line, holding every needle.
  void expect_one_line(const std::vector<std::string> &needles) const {
    const std::string err = child_->err();
    EXPECT_EQ(std::count(err.begin(), err.end(), '\n'), 1) << err;
    for (const auto &n : needles) {
      EXPECT_NE(err.find(n), std::string::npos) << "missing '" << n << "' in: " << err;
    }
  }

  // No report, and no temporary file of one, in dir_.
  void expect_no_report() const {
    EXPECT_FALSE(fs::exists(dir_ / "r.json"));
    for (const auto &f : fs::directory_iterator(dir_)) {
      ADD_FAILURE() << "left behind: " << f.path();
    }
  }

  // The signed report's predicate (a complete report: every case with its status).
  json signed_report() const {
    const json e = json::parse(slurp(dir_ / "r.json"));
    EXPECT_FALSE(e["signatures"].empty()) << "signed with --key";
    return json::parse(*reports::base64_decode(e["payload"].get<std::string>()))["predicate"];
  }

  // Every case of the report has `status` and a reason holding `needle`.
  void expect_cases(const json &report, const std::string &status, const std::string &needle) {
    ASSERT_EQ(report["cases"].size(), 2u);
    for (const auto &c : report["cases"]) {
      EXPECT_EQ(c["status"], status) << c.dump();
      EXPECT_NE(c.value("reason", "").find(needle), std::string::npos) << c.dump();
    }
  }

  static fs::path key_dir_;
  fs::path dir_; // the report's folder
  fs::path io_;  // the child's stdout and stderr
  std::unique_ptr<suanli_child> child_;
  double seconds_ = 0;
};

fs::path cli_faults::key_dir_;

TEST_F(cli_faults, init_failure_refuses_the_backend) {
  EXPECT_EQ(run("init:fail"), 3);
  expect_one_line({"fault backend", "failed to initialise", "injected fault init:fail"});
  expect_no_report();
}

TEST_F(cli_faults, allocation_failure_is_a_case_error_in_a_complete_report) {
  EXPECT_EQ(run("mem_alloc:fail"), 3);
  expect_cases(signed_report(), "error", "mem_alloc");
  EXPECT_NE(child_->out().find("error  (fault backend: mem_alloc("), std::string::npos)
      << child_->out();
}

TEST_F(cli_faults, timer_failure_is_a_case_error) {
  EXPECT_EQ(run("event_elapsed_ns:fail"), 3);
  expect_cases(signed_report(), "error", "event_elapsed_ns failed: device error");
}

TEST_F(cli_faults, zero_ns_timer_is_a_case_error) {
  EXPECT_EQ(run("event_elapsed_ns:zero"), 3);
  expect_cases(signed_report(), "error", "timer reported 0 ns");
}

TEST_F(cli_faults, wrong_results_fail_verification) {
  EXPECT_EQ(run("gemm_run:wrong"), 1);
  expect_cases(signed_report(), "fail", "verification failed");
  EXPECT_EQ(signed_report()["totals"]["failed"], 2);
}

TEST_F(cli_faults, a_hung_call_ends_at_the_timeout) {
  // Case deadline: 2 x max_time (0.2 s) + --timeout + 10 x --timeout = 5.9 s.
  EXPECT_EQ(run("gemm_run:hang", {"--timeout", "0.5"}), 3);
  expect_one_line({"timeout: case ", "did not finish within 5.9 s",
                   "(stuck in backend call gemm_run)", "no report written"});
  expect_no_report();
  EXPECT_GT(seconds_, 5.0) << "not before the deadline";
}

TEST_F(cli_faults, a_hung_peak_measurement_ends_at_the_timeout) {
  // Peaks: one allowance (--timeout + 10 x --timeout = 2.2 s) per case, 2 cases: 4.4 s.
  EXPECT_EQ(run("measure_peak:hang", {"--timeout", "0.2"}), 3);
  expect_one_line({"timeout: measuring the peaks did not finish within 4.4 s",
                   "(stuck in backend call measure_peak)", "no report written"});
  expect_no_report();
}

TEST_F(cli_faults, a_crash_in_a_call_names_the_call_and_the_case) {
  EXPECT_EQ(run("gemm_run:crash"), 3);
  expect_one_line({"fault backend crashed (SIGSEGV) in backend call gemm_run during case gemm.",
                   "exit 3", "no report written"});
  expect_no_report();
}

TEST_F(cli_faults, an_abort_in_a_call_names_the_call_and_the_case) {
  EXPECT_EQ(run("gemm_run:abort"), 3);
  expect_one_line({"fault backend crashed (SIGABRT) in backend call gemm_run during case gemm."});
  expect_no_report();
}

TEST_F(cli_faults, an_unterminated_device_property_is_refused) {
  EXPECT_EQ(run("device_props:unterminated"), 3);
  expect_one_line({"fault backend: device_props(0): field model (128 bytes) holds no NUL"});
  expect_no_report();
}

TEST_F(cli_faults, an_over_long_backend_name_or_version_is_refused) {
  for (const std::string field : {"name", "version"}) {
    EXPECT_EQ(run(field + ":long"), 3) << field;
    expect_one_line({"its table's " + field + " is not a one-line NUL-terminated string"});
    expect_no_report();
  }
}

TEST_F(cli_faults, an_unterminated_reason_is_cut_to_one_line) {
  EXPECT_EQ(run("last_error:unterminated"), 3);
  const json report = signed_report();
  expect_cases(report, "error", "[... cut at 1024 bytes: longer, or not NUL-terminated]");
  EXPECT_LT(report["cases"][0]["reason"].get<std::string>().size(), 1200u);
  const std::string out = child_->out();
  EXPECT_EQ(out.find("XXXXXXXX\nXXX"), std::string::npos) << "the plugin's line breaks are gone";
}

TEST_F(cli_faults, an_unterminated_description_is_cut) {
  EXPECT_EQ(run("gemm_plan_describe:unterminated"), 0) << child_->err();
  const auto report = signed_report(); // kept: a range-for over a temporary's member dangles
  for (const auto &c : report["cases"]) {
    EXPECT_EQ(c["implementation"].get<std::string>(), std::string(1024, 'D'));
  }
}

// Interrupts: the second case samples for 60 s; the signal comes once the first has ended.
class cli_interrupt : public cli_faults {
protected:
  void interrupt(int signal, int code, const std::string &name) {
    child_ = start("", "fault_interrupt.toml");
    ASSERT_TRUE(child_->wait_until([&] { return child_->out().find("[1/3]") != std::string::npos; },
                                   bound_s))
        << child_->out() << child_->err();
    const double sent_s = child_->seconds();
    child_->send(signal);
    EXPECT_EQ(child_->wait(sent_s + bound_s), code) << child_->err();
    EXPECT_LT(child_->seconds() - sent_s, 10.0) << "stops after the sample in progress";
    expect_one_line({"suanli: interrupted by " + name, ": completed 1 of 3 cases (gemm.fp32",
                     "no report written (exit " + std::to_string(code) + ")"});
    // The signal may land in the instant between the two cases, after "[1/3]" was printed.
    const std::string err = child_->err();
    EXPECT_TRUE(err.find(" during case gemm.fp64") != std::string::npos ||
                err.find(" between cases") != std::string::npos)
        << err;
    expect_no_report();
  }
};

TEST_F(cli_interrupt, sigint_stops_the_run_without_a_report) {
  interrupt(SIGINT, 130, "SIGINT");
}

TEST_F(cli_interrupt, sigterm_stops_the_run_without_a_report) {
  interrupt(SIGTERM, 143, "SIGTERM");
}

} // namespace
} // namespace suanli::test
