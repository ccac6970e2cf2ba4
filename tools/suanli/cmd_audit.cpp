// `suanli audit`: recompute and cross-check signed reports (DESIGN.md, Reports; issue 7).

#include "commands.hpp"
#include "device_database.hpp"

#include <audit/auditor.hpp>
#include <bench/error.hpp>
#include <reports/keys.hpp>
#include <reports/text_table.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <memory>
#include <thread>

namespace suanli::tools {
namespace {

/// Options of `suanli audit`.
struct audit_args {
  std::vector<std::string> trust;   // key files or folders, possibly comma-separated
  std::string platform_key;         // the platform's challenge key
  std::string device_db;            // device database (empty: installed)
  std::vector<std::string> reports; // report files
  bool json = false;                // JSON output
  unsigned threads = 0;             // 0: up to the hardware's
};

// The trusted keys: each file, or every *.pub in a folder.
std::vector<reports::public_key> load_trusted(const std::vector<std::string> &items) {
  std::vector<reports::public_key> keys;
  for (const auto &item : items) {
    const std::filesystem::path p(item);
    if (std::filesystem::is_directory(p)) {
      std::vector<std::filesystem::path> files;
      for (const auto &e : std::filesystem::directory_iterator(p)) {
        if (e.path().extension() == ".pub") {
          files.push_back(e.path());
        }
      }
      std::sort(files.begin(), files.end());
      for (const auto &f : files) {
        keys.push_back(reports::load_public_key(f));
      }
    } else {
      keys.push_back(reports::load_public_key(p));
    }
  }
  if (keys.empty()) {
    bench::fail_input("audit: --trust names no public key (*.pub)");
  }
  return keys;
}

nlohmann::json to_json(const audit::audit_result &r) {
  nlohmann::json findings = nlohmann::json::array();
  for (const auto &f : r.findings) {
    findings.push_back({{"rule", f.rule},
                        {"severity", audit::name(f.level)},
                        {"report", f.report},
                        {"where", f.where},
                        {"message", f.message},
                        {"recorded", f.recorded},
                        {"recomputed", f.recomputed}});
  }
  return {{"reports", r.reports},
          {"errors", r.count(audit::severity::error)},
          {"warnings", r.count(audit::severity::warning)},
          {"findings", findings}};
}

void print_text(std::ostream &out, const audit::audit_result &r) {
  if (!r.findings.empty()) {
    reports::text_table table(
        {"severity", "rule", "report", "where", "finding", "recorded", "recomputed"},
        {1, 2, 3, 4, 5, 6});
    for (const auto &f : r.findings) {
      table.add_row({std::string(audit::name(f.level)), f.rule, f.report, f.where, f.message,
                     f.recorded, f.recomputed});
    }
    out << table.render();
  }
  out << r.reports << " report" << (r.reports == 1 ? "" : "s")
      << " audited: " << r.count(audit::severity::error) << " errors, "
      << r.count(audit::severity::warning) << " warnings, " << r.count(audit::severity::info)
      << " notes\n";
}

} // namespace

void add_audit_command(CLI::App &app, command_status &status) {
  auto *cmd = app.add_subcommand(
      "audit", "Audit reports: signature, schema, challenge, suite, every statistic and metric "
               "recomputed, plausibility, duplicated devices; exit 1 on any error finding");
  auto args = std::make_shared<audit_args>();
  cmd->add_option("--trust", args->trust,
                  "Trusted provider public keys: files or folders of *.pub (comma-separated or "
                  "repeated)")
      ->required()
      ->allow_extra_args(false)
      ->delimiter(',');
  cmd->add_option("--platform-key", args->platform_key,
                  "Platform public key that signs challenges (without it challenges are not "
                  "checked)");
  cmd->add_option("--device-db", args->device_db,
                  "Device database folder or file (default: the installed one)");
  cmd->add_option("--threads", args->threads, "Threads (default: all cores)");
  cmd->add_flag("--json", args->json, "Print the findings as JSON");
  cmd->add_option("reports", args->reports, "Report files")->required();
  cmd->callback([args, &status] {
    audit::audit_options options;
    options.trusted = load_trusted(args->trust);
    if (!args->platform_key.empty()) {
      options.platform = reports::load_public_key(args->platform_key);
    }
    options.database =
        std::make_shared<const devices::database>(open_device_database(args->device_db));
    audit::add_shipped_suites(options);
    const unsigned threads =
        args->threads != 0 ? args->threads : std::max(1U, std::thread::hardware_concurrency());
    const auto result = audit::audit_files(args->reports, options, threads);
    if (args->json) {
      std::cout << to_json(result).dump(2) << "\n";
    } else {
      print_text(std::cout, result);
    }
    status.exit_code = result.count(audit::severity::error) > 0 ? 1 : 0;
  });
}

} // namespace suanli::tools
