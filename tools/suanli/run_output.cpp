#include "run_output.hpp"

#include <bench/error.hpp>
#include <bench/text.hpp>
#include <certify/verdict.hpp>
#include <reports/atomic_file.hpp>
#include <reports/certification_table.hpp>
#include <reports/statement.hpp>
#include <reports/summary_table.hpp>

#include <filesystem>
#include <iostream>

namespace suanli::tools {
int exit_code_of(const nlohmann::json &payload) {
  const auto &tot = payload["totals"];
  if (tot.value("failed", 0) > 0) {
    return static_cast<int>(bench::exit_code::check_failed);
  }
  if (tot.value("errors", 0) > 0) {
    return static_cast<int>(bench::exit_code::environment);
  }
  if (payload.contains("certification") && !certify::certified(payload["certification"])) {
    return static_cast<int>(bench::exit_code::check_failed);
  }
  return 0;
}

void add_certification(nlohmann::json &payload,
                       const std::optional<bench::certify_criteria> &criteria) {
  if (criteria) {
    payload["certification"] = certify::certify_report(payload, *criteria);
  }
}

void print_job_start(std::ostream &out, const bench::suite &s, const cluster::placement &place,
                     const std::string &backend, int32_t device, size_t device_cases,
                     size_t collective_cases) {
  if (place.size == 1) {
    out << "suite " << s.name << ": " << device_cases << " cases on " << backend << ":" << device
        << "; measuring peaks..." << std::endl;
    return;
  }
  out << "suite " << s.name << ": " << place.size << " ranks on " << place.nodes << " node(s) ("
      << place.launcher << "), backend " << backend << "; " << device_cases
      << " per-device cases on each node's devices, then " << collective_cases
      << " collective cases on all ranks" << std::endl;
}

void print_report_line(std::ostream &out, const std::string &path,
                       const std::optional<reports::private_key> &key) {
  out << "report: " << path << " ("
      << (key ? "signed, keyid " + key->keyid() : std::string("UNSIGNED: no --key given")) << ")\n";
}

std::string render_single_summary(const nlohmann::json &payload) {
  return reports::render_peaks(payload) + "\n" + reports::render_cases(payload) +
         reports::render_certification(payload);
}

std::string render_cluster_summary(const nlohmann::json &payload) {
  return reports::render_cluster(payload) + reports::render_certification(payload);
}

void write_report(const run_args &a, const std::optional<reports::private_key> &key,
                  const nlohmann::json &payload) {
  const auto statement =
      reports::make_statement(std::filesystem::path(a.out).filename().string(), payload);
  const auto envelope = key ? reports::sign_statement(statement, *key)
                            : reports::make_unsigned_statement_envelope(statement);
  reports::write_file_atomic(a.out, reports::serialize_envelope(envelope), 0644);
}

int write_single_report(const run_args &a, const std::optional<reports::private_key> &key,
                        const reports::run_context &ctx, const bench::run_result &result,
                        const std::optional<bench::certify_criteria> &criteria) {
  auto payload = reports::make_report(ctx, result);
  add_certification(payload, criteria);
  write_report(a, key, payload);
  if (!a.quiet) {
    std::cout << "\n" << render_single_summary(payload);
  }
  print_report_line(std::cout, a.out, key);
  return exit_code_of(payload);
}

} // namespace suanli::tools
