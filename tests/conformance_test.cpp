// The conformance checker's machinery: checks isolated in child processes (a crash or a hang is
// a FAIL of that check, with its signal or the timeout), the check table, the ABI table sizes.

#include <conformance/abi_table.hpp>
#include <conformance/check.hpp>
#include <conformance/isolate.hpp>

#include <bench/error.hpp>
#include <kernels/abi/suanli_backend.h>

#include <gtest/gtest.h>

#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <cstddef>
#include <stdexcept>

namespace suanli::conformance {
namespace {

using namespace std::chrono_literals;

TEST(conformance_isolate, a_passing_check_passes_with_its_detail) {
  const check_result r = run_isolated(
      [] {
        check_result out = pass("all good");
        out.unsupported_seen = 2;
        out.missing_reasons = {"somewhere"};
        return out;
      },
      10s);
  EXPECT_EQ(r.result, outcome::pass);
  EXPECT_EQ(r.detail, "all good");
  EXPECT_EQ(r.unsupported_seen, 2);
  ASSERT_EQ(r.missing_reasons.size(), 1u);
  EXPECT_EQ(r.missing_reasons[0], "somewhere");
  EXPECT_GT(r.seconds, 0.0);
}

// A real SIGSEGV, also in the sanitizer build, where UBSan would otherwise stop at the store.
[[gnu::no_sanitize("undefined"), gnu::noinline]] void write_through_null() {
  volatile int *volatile nowhere = nullptr;
  *nowhere = 1;
}

TEST(conformance_isolate, a_segfault_is_a_fail_naming_the_signal_and_the_stage) {
  const check_result r = run_isolated(
      [] {
        note_stage("writing through NULL");
        write_through_null();
        return pass("unreachable");
      },
      10s);
  EXPECT_EQ(r.result, outcome::fail);
  EXPECT_NE(r.detail.find("killed by SIGSEGV"), std::string::npos) << r.detail;
  EXPECT_NE(r.detail.find("during writing through NULL"), std::string::npos) << r.detail;
}

TEST(conformance_isolate, an_abort_is_a_fail_naming_sigabrt) {
  const check_result r = run_isolated([]() -> check_result { abort(); }, 10s);
  EXPECT_EQ(r.result, outcome::fail);
  EXPECT_NE(r.detail.find("killed by SIGABRT"), std::string::npos) << r.detail;
}

TEST(conformance_isolate, a_hang_is_a_fail_after_the_timeout) {
  const auto start = std::chrono::steady_clock::now();
  const check_result r = run_isolated(
      []() -> check_result {
        note_stage("waiting forever");
        for (;;) {
          pause();
        }
      },
      500ms);
  const auto took = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(r.result, outcome::fail);
  EXPECT_NE(r.detail.find("no result within the 500 ms timeout"), std::string::npos) << r.detail;
  EXPECT_NE(r.detail.find("during waiting forever"), std::string::npos) << r.detail;
  EXPECT_NE(r.detail.find("killed"), std::string::npos) << r.detail;
  EXPECT_GE(took, 450ms);
  EXPECT_LT(took, 5s);
}

TEST(conformance_isolate, an_exception_is_a_fail_with_its_message) {
  const check_result r =
      run_isolated([]() -> check_result { throw std::runtime_error("plugin said no"); }, 10s);
  EXPECT_EQ(r.result, outcome::fail);
  EXPECT_EQ(r.detail, "plugin said no");
}

TEST(conformance_isolate, an_exit_without_a_result_is_a_fail_with_its_status) {
  const check_result r = run_isolated([]() -> check_result { _exit(3); }, 10s);
  EXPECT_EQ(r.result, outcome::fail);
  EXPECT_NE(r.detail.find("exited with status 3 without a result"), std::string::npos) << r.detail;
}

TEST(conformance_isolate, unsupported_travels_with_its_reason) {
  const check_result r = run_isolated([] { return unsupported("no GEMM here"); }, 10s);
  EXPECT_EQ(r.result, outcome::unsupported);
  EXPECT_EQ(r.detail, "no GEMM here");
}

TEST(conformance_isolate, signals_have_their_names) {
  EXPECT_EQ(signal_name(SIGSEGV), "SIGSEGV");
  EXPECT_EQ(signal_name(SIGBUS), "SIGBUS");
  EXPECT_EQ(signal_name(SIGKILL), "SIGKILL");
  EXPECT_EQ(signal_name(0), "signal 0");
}

TEST(conformance_table, ids_are_unique_and_only_selects_in_table_order) {
  const auto all = all_checks();
  ASSERT_GE(all.size(), 11u);
  for (size_t i = 0; i < all.size(); ++i) {
    for (size_t j = i + 1; j < all.size(); ++j) {
      EXPECT_NE(all[i].id, all[j].id);
    }
  }
  const auto some = select_checks("gemm,table");
  ASSERT_EQ(some.size(), 2u);
  EXPECT_EQ(some[0].id, "table");
  EXPECT_EQ(some[1].id, "gemm");
  EXPECT_EQ(select_checks("").size(), all.size());
  try {
    (void)select_checks("table,nonsense");
    FAIL() << "an unknown id must be refused";
  } catch (const bench::error &e) {
    EXPECT_EQ(e.code(), bench::exit_code::bad_input);
    EXPECT_NE(std::string(e.what()).find("nonsense"), std::string::npos) << e.what();
  }
}

TEST(conformance_abi, table_sizes_grow_with_the_minor) {
  EXPECT_EQ(abi_table_size(0), offsetof(sl_backend_api, measure_peak) + sizeof(void *));
  EXPECT_LT(abi_table_size(0), abi_table_size(1));
  EXPECT_LT(abi_table_size(1), abi_table_size(2));
  EXPECT_EQ(abi_table_size(SL_ABI_MINOR), sizeof(sl_backend_api));
  EXPECT_EQ(abi_table_size(SL_ABI_MINOR + 1), sizeof(sl_backend_api));
  EXPECT_EQ(abi_minor_of_size(static_cast<uint32_t>(abi_table_size(1))), 1);
  EXPECT_EQ(abi_minor_of_size(8), -1);
}

TEST(conformance_abi, the_lp64_table_sizes_are_the_documented_ones) {
  if constexpr (sizeof(void *) == 8) {
    // kernels/abi/README.md 8.1 and the header's comment list these.
    EXPECT_EQ(abi_table_size(0), 216u);
    EXPECT_EQ(abi_table_size(1), 248u);
    EXPECT_EQ(abi_table_size(2), 296u);
    EXPECT_EQ(abi_table_size(3), 304u);
    EXPECT_EQ(abi_table_size(4), 312u);
    EXPECT_EQ(sizeof(sl_device_link), 56u);
    EXPECT_EQ(offsetof(sl_device_link, name), 24u);
  }
  EXPECT_EQ(abi_minor_of_size(static_cast<uint32_t>(abi_table_size(4))), 4);
  EXPECT_EQ(abi_minor_of_size(static_cast<uint32_t>(abi_table_size(4)) - 1), 3);
}

TEST(conformance_abi, a_consistent_table_has_no_problem) {
  EXPECT_EQ(abi_version_problem(SL_ABI_MAJOR, SL_ABI_MINOR, sizeof(sl_backend_api)), "");
  EXPECT_EQ(abi_version_problem(SL_ABI_MAJOR, 0, static_cast<uint32_t>(abi_table_size(0))), "");
  // An older minor with a larger table than it needs is fine (fields it does not know are
  // never read by a host of its minor).
  EXPECT_EQ(abi_version_problem(SL_ABI_MAJOR, 1, sizeof(sl_backend_api)), "");
}

TEST(conformance_abi, a_version_lie_another_major_and_a_short_table_are_named) {
  const auto lie = abi_version_problem(SL_ABI_MAJOR, 2, static_cast<uint32_t>(abi_table_size(0)));
  EXPECT_NE(lie.find("version lie"), std::string::npos) << lie;
  EXPECT_NE(lie.find("1.2"), std::string::npos) << lie;
  EXPECT_NE(lie.find("1.0"), std::string::npos) << lie;
  const auto major = abi_version_problem(SL_ABI_MAJOR + 1, 0, sizeof(sl_backend_api));
  EXPECT_NE(major.find(std::to_string(SL_ABI_MAJOR + 1) + ".0"), std::string::npos) << major;
  EXPECT_NE(major.find(std::to_string(SL_ABI_MAJOR) + "." + std::to_string(SL_ABI_MINOR)),
            std::string::npos)
      << major;
  const auto small = abi_version_problem(SL_ABI_MAJOR, 0, 16);
  EXPECT_NE(small.find("smaller than the ABI 1.0 table"), std::string::npos) << small;
}

} // namespace
} // namespace suanli::conformance
