#pragma once
// The conformance checks of a backend plugin (`suanli plugin check`): one table row per check,
// each run in a child process of its own (isolate.hpp) so that a crash or a hang is a FAIL of
// that check, never the end of the run.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace suanli::conformance {

/// What a check concluded.
enum class outcome {
  pass,       ///< the plugin behaved as the ABI says
  fail,       ///< it did not (wrong result, crash, hang, missing reason, ...)
  unsupported ///< the plugin does not offer what the check needs, and said why
};

/// "PASS", "FAIL" or "UNSUPPORTED" (the text table); lower case for JSON.
[[nodiscard]] std::string_view outcome_name(outcome o);

/// What one check found.
struct check_result {
  outcome result = outcome::fail;           ///< the verdict
  std::string detail;                       ///< one line: what was seen
  int unsupported_seen = 0;                 ///< SL_UNSUPPORTED answers met during the check
  std::vector<std::string> missing_reasons; ///< those of them that came without a reason
  double seconds = 0;                       ///< wall time of the check (child process) [s]
};

/// A PASS with a detail.
[[nodiscard]] check_result pass(std::string detail);
/// A FAIL with a detail.
[[nodiscard]] check_result fail(std::string detail);
/// An UNSUPPORTED with the reason.
[[nodiscard]] check_result unsupported(std::string reason);

/// What every check is given (in its child process).
struct check_input {
  std::filesystem::path plugin; ///< the plugin file to dlopen
};

/// A check: runs in a child process; may throw (an exception is a FAIL with its message).
using check_fn = check_result (*)(const check_input &);

/// One row of the check table.
struct check {
  std::string_view id;   ///< stable id, e.g. "gemm" (`--only gemm,fill`)
  std::string_view what; ///< what it checks, in a few words
  check_fn run;          ///< the check itself
};

/// Every check, in the order they run.
[[nodiscard]] std::span<const check> all_checks();

/// The checks named by ids (comma-separated, in table order); every check when `ids` is empty.
/// Throws bench::error (exit 2) naming an unknown id and listing the known ones.
[[nodiscard]] std::vector<check> select_checks(std::string_view ids);

/// One check as it ran.
struct check_row {
  std::string id;      ///< its id
  std::string what;    ///< what it checks
  check_result result; ///< what it found
};

/// Called before each check starts (its index, the count, the check).
using check_started = std::function<void(size_t index, size_t total, const check &c)>;

/// Run the checks on a plugin, each in a child process with a timeout; the "reasons" row, when
/// selected, also collects every missing reason the other checks met.
[[nodiscard]] std::vector<check_row> run_checks(const std::filesystem::path &plugin,
                                                const std::vector<check> &checks,
                                                std::chrono::milliseconds timeout,
                                                const check_started &on_start = {});

/// Why the plugin file cannot be opened at all (not a file, dlopen fails: the dlerror text),
/// tried in a child process; empty when it can be dlopen'ed.
[[nodiscard]] std::string open_problem(const std::filesystem::path &plugin,
                                       std::chrono::milliseconds timeout);

/// Counts of the outcomes of a run.
struct summary {
  int passed = 0;      ///< PASS rows
  int failed = 0;      ///< FAIL rows
  int unsupported = 0; ///< UNSUPPORTED rows
};

/// Count the outcomes.
[[nodiscard]] summary summarize(const std::vector<check_row> &rows);

/// "N passed, M failed, K unsupported".
[[nodiscard]] std::string summary_line(const summary &s);

} // namespace suanli::conformance
