#pragma once

#include <bench/suite_criteria.hpp>
// What `suanli run` prints and writes: progress lines, summaries, the report file.

#include "run_job.hpp"

#include <bench/case_result.hpp>
#include <bench/suite.hpp>
#include <cluster/world.hpp>
#include <reports/keys.hpp>
#include <reports/report.hpp>

#include <nlohmann/json.hpp>

#include <optional>
#include <ostream>
#include <string>

namespace suanli::tools {

/// The first line of a run: suite, case counts, backend and device; the job under MPI.
void print_job_start(std::ostream &out, const bench::suite &s, const cluster::placement &place,
                     const std::string &backend, int32_t device, size_t device_cases,
                     size_t collective_cases);
/// The last line: where the report went and whether it is signed.
void print_report_line(std::ostream &out, const std::string &path,
                       const std::optional<reports::private_key> &key);

/// Peaks and cases of a single-node report.
[[nodiscard]] std::string render_single_summary(const nlohmann::json &payload);
/// Layout, nodes, cluster totals and collectives of a cluster report.
[[nodiscard]] std::string render_cluster_summary(const nlohmann::json &payload);

/// 1 when a case failed verification, else 3 when a case had a backend error, else 1 when the
/// run is NOT CERTIFIED, else 0.
[[nodiscard]] int exit_code_of(const nlohmann::json &payload);

/// Sign (with key) or wrap (without) the payload and write it atomically to a.out.
void write_report(const run_args &a, const std::optional<reports::private_key> &key,
                  const nlohmann::json &payload);
/// The report of a single-process run: certify (when the suite has criteria), write, print,
/// and return the exit code.
[[nodiscard]] int write_single_report(const run_args &a,
                                      const std::optional<reports::private_key> &key,
                                      const reports::run_context &ctx,
                                      const bench::run_result &result,
                                      const std::optional<bench::certify_criteria> &criteria);
/// Add the "certification" field to a report payload when the suite has criteria.
void add_certification(nlohmann::json &payload,
                       const std::optional<bench::certify_criteria> &criteria);

} // namespace suanli::tools
