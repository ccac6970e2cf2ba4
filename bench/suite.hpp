#pragma once

#include <bench/measure_policy.hpp>
#include <bench/problem.hpp>
#include <bench/suite_criteria.hpp>

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace suanli::bench {

/// One case of a suite: a named problem with its measurement policy.
struct suite_case {
  std::string name;      ///< unique in the suite, e.g. "gemm.fp32.4096x4096x4096"
  problem op;            ///< what is measured
  measure_policy policy; ///< suite defaults overridden by the case's table
  std::string origin;    ///< "file:line:column" of the table that produced the case
};

/// A parsed suite file (schema: suites/README.md).
struct suite {
  std::string name;                         ///< [suite] name
  std::string description;                  ///< [suite] description
  std::filesystem::path path;               ///< file it came from (empty for in-memory text)
  std::string sha256;                       ///< SHA-256 of the file's bytes, lower-case hex
  measure_policy policy;                    ///< [suite.measure] defaults
  std::vector<suite_case> cases;            ///< in file order
  std::optional<certify_criteria> criteria; ///< [certify]: set for certification suites
};

/// Parse suite text; source names the text in messages. Throws bench::error (exit 2) with
/// "source:line:column: what is wrong; what was expected" on any syntax or schema error.
[[nodiscard]] suite parse_suite(std::string_view text, const std::string &source);

/// Read and parse a suite file. Throws bench::error (exit 2) when unreadable or invalid.
[[nodiscard]] suite load_suite_file(const std::filesystem::path &path);

/// Folders searched for suites by name, in order: $SUANLI_SUITE_PATH entries, the install's
/// share/suanli/suites next to the binary, and the source tree's suites/.
[[nodiscard]] std::vector<std::filesystem::path> suite_search_dirs();

/// Resolve "quick" or a path to a .toml file. Throws bench::error (exit 2) "unknown suite"
/// naming the folders searched and the suites found there.
[[nodiscard]] std::filesystem::path resolve_suite(std::string_view name_or_path);

/// Names of the suites found in suite_search_dirs() (file stems), sorted, unique.
[[nodiscard]] std::vector<std::string> available_suites();

} // namespace suanli::bench
