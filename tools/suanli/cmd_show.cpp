#include "commands.hpp"

#include "report_file.hpp"
#include <reports/certification_table.hpp>

#include <reports/summary_table.hpp>

#include <iostream>
#include <memory>

namespace suanli::tools {
namespace {

using nlohmann::json;

} // namespace

void add_show_command(CLI::App &app, command_status &status) {
  auto *cmd = app.add_subcommand("show", "Print a report as a table (does not check the "
                                         "signature: use `suanli verify`)");
  auto report = std::make_shared<std::string>();
  cmd->add_option("report", *report, "Report file written by `suanli run`")->required();
  cmd->callback([report, &status] {
    const auto file = read_report_file(*report);
    if (!file.statement.result.ok()) {
      std::cout << *report << ": " << file.statement.result.reason << "\n";
      status.exit_code = 1;
      return;
    }
    const auto &p = file.statement.predicate;
    const auto &backends = p.value("backends", nlohmann::json::array());
    std::cout << "report   " << *report << " ("
              << (file.envelope.signatures.empty()
                      ? std::string("UNSIGNED")
                      : "signed, keyid " + file.envelope.signatures.front().keyid.substr(0, 16) +
                            "...; not checked here, use `suanli verify`")
              << ")\n"
              << "suite    " << p["suite"].value("name", "") << " (sha256 "
              << p["suite"].value("sha256", "").substr(0, 16) << "...)\n"
              << "created  " << p.value("created", "") << " by suanli "
              << p["tool"].value("version", "") << " (" << p["tool"].value("git_commit", "")
              << ")\n";
    if (p.contains("cluster")) {
      std::cout << "\n" << reports::render_cluster(p) << reports::render_certification(p);
      return;
    }
    for (const auto &b : backends) {
      for (const auto &d : b.value("devices", nlohmann::json::array())) {
        std::cout << "device   " << b.value("name", "") << ":" << d.value("index", 0) << " "
                  << d.value("model", "") << " (" << d.value("compute_units", 0)
                  << " compute units)\n";
      }
    }
    std::cout << "\n"
              << reports::render_peaks(p) << "\n"
              << reports::render_cases(p) << reports::render_certification(p);
  });
}

} // namespace suanli::tools
