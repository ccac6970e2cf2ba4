#include <audit/auditor.hpp>
#include <audit/report_reader.hpp>

#include <bench/error.hpp>
#include <bench/suite.hpp>
#include <reports/atomic_file.hpp>
#include <reports/statement.hpp>

#include <algorithm>
#include <atomic>
#include <exception>
#include <optional>
#include <thread>

namespace suanli::audit {
namespace {

using nlohmann::json;

// Runs one per-report rule, turning a report it cannot read into a schema finding.
void run_rule(const rule &r, const report_input &in, std::vector<finding> &out) {
  reporter rep(out, r.id, r.level, in.file);
  try {
    r.check(in, rep);
  } catch (const std::exception &e) {
    reporter schema(out, "schema.invalid", severity::error, in.file);
    schema.add("", "rule " + std::string(r.id) + " could not read the report: " + e.what());
  }
}

} // namespace

size_t audit_result::count(severity level) const {
  return static_cast<size_t>(std::count_if(findings.begin(), findings.end(),
                                           [&](const finding &f) { return f.level == level; }));
}

void add_shipped_suites(audit_options &options) {
  for (const auto &name : bench::available_suites()) {
    try {
      const auto s = bench::load_suite_file(bench::resolve_suite(name));
      options.suite_digests.emplace(s.sha256, s.name);
      options.shipped_suites.emplace(s.name, s.sha256);
      auto &policies = options.suite_policies[s.sha256];
      for (const auto &c : s.cases) {
        policies.emplace(c.name, c.policy);
      }
      if (s.criteria) {
        options.suite_criteria.emplace(s.sha256, *s.criteria);
      }
    } catch (const std::exception &) {
      // a suite file that does not parse is not a known suite
    }
  }
}

std::vector<finding> audit_report(const std::string &file, const audit_options &options,
                                  report_record &record) {
  const auto read = read_report_file(file);
  const auto &envelope = read.envelope;
  const auto &statement = read.statement;
  using status = reports::verify_result::status;
  std::vector<finding> out;
  const auto rules = rule_table();
  if (!statement.result.ok()) {
    if (statement.result.outcome != status::digest_mismatch) {
      bench::fail_input(file + ": not a suanli report: " + statement.result.reason);
    }
    // A statement whose digest does not cover its predicate: only the signature can be judged.
    const json none;
    const report_input in{file, envelope, none, options, {}};
    run_rule(rules[0], in, out);
    reporter(out, "schema.invalid", severity::error, file).add("", statement.result.reason);
    record = {file, {}, {}};
    return out;
  }
  // The signature and schema rules come first; the others read the cases, decoded once.
  std::vector<case_view> cases;
  report_input in{file, envelope, statement.predicate, options, {}};
  bool decoded = false;
  for (const auto &r : rules) {
    if (r.check == nullptr) {
      continue;
    }
    if (!decoded && r.id != "signature.untrusted" && r.id != "schema.invalid") {
      try {
        cases = case_views(statement.predicate);
      } catch (const std::exception &e) {
        reporter(out, "schema.invalid", severity::error, file)
            .add("", std::string("cases unreadable: ") + e.what());
        break;
      }
      in.cases = cases;
      decoded = true;
    }
    const auto before = out.size();
    run_rule(r, in, out);
    if (r.id == "schema.invalid" && out.size() > before) {
      break; // the other rules would read fields the report lacks
    }
  }
  record = make_record(file, statement.predicate);
  return out;
}

audit_result audit_files(const std::vector<std::string> &files, const audit_options &options,
                         unsigned threads) {
  std::vector<std::vector<finding>> per_file(files.size());
  std::vector<report_record> records(files.size());
  std::vector<std::optional<bench::error>> failures(files.size());
  std::atomic<size_t> next{0};
  const auto work = [&] {
    for (size_t i = next++; i < files.size(); i = next++) {
      try {
        per_file[i] = audit_report(files[i], options, records[i]);
      } catch (const bench::error &e) {
        failures[i] = e;
      } catch (const std::exception &e) {
        failures[i] = bench::error(bench::exit_code::bad_input, files[i] + ": " + e.what());
      }
    }
  };
  threads =
      std::clamp<unsigned>(threads, 1, static_cast<unsigned>(std::max<size_t>(1, files.size())));
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < threads; ++t) {
    pool.emplace_back(work);
  }
  work();
  for (auto &t : pool) {
    t.join();
  }
  for (const auto &f : failures) {
    if (f) {
      throw *f;
    }
  }
  audit_result result;
  result.reports = files.size();
  for (auto &f : per_file) {
    std::move(f.begin(), f.end(), std::back_inserter(result.findings));
    f = {};
  }
  for (const auto &r : rule_table()) {
    if (r.cross != nullptr) {
      reporter rep(result.findings, r.id, r.level, "");
      r.cross(records, rep);
    }
  }
  return result;
}

} // namespace suanli::audit
