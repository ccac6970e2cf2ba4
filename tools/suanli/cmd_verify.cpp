#include "commands.hpp"
#include "report_file.hpp"

#include <reports/keys.hpp>

#include <iostream>
#include <memory>

namespace suanli::tools {

void add_verify_command(CLI::App &app, command_status &status) {
  auto *cmd = app.add_subcommand(
      "verify", "Check a report's Ed25519 signature (DSSE) and its in-toto statement; exit 0 "
                "only when both hold, 1 when either does not");
  auto report = std::make_shared<std::string>();
  auto pubkey = std::make_shared<std::string>();
  cmd->add_option("report", *report, "Report file written by `suanli run`")->required();
  cmd->add_option("--pubkey", *pubkey, "Trusted public key (SPKI PEM)")->required();
  cmd->callback([report, pubkey, &status] {
    const auto key = reports::load_public_key(*pubkey);
    const auto file = read_report_file(*report);
    const auto sig = reports::verify_envelope(file.envelope, key);
    if (!sig.ok()) {
      std::cout << *report << ": FAILED: " << sig.reason << "\n";
      status.exit_code = 1;
      return;
    }
    if (!file.statement.result.ok()) {
      std::cout << *report << ": FAILED: " << file.statement.result.reason << "\n";
      status.exit_code = 1;
      return;
    }
    const auto &p = file.statement.predicate;
    const auto &tot = p.value("totals", nlohmann::json::object());
    std::cout << *report << ": OK: " << sig.reason << "\n"
              << "  suite " << p["suite"].value("name", "") << ", created "
              << p.value("created", "") << ", " << tot.value("cases", 0) << " cases ("
              << tot.value("passed", 0) << " passed, " << tot.value("failed", 0) << " failed)\n";
  });
}

} // namespace suanli::tools
