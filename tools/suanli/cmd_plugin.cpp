#include "commands.hpp"

#include <bench/error.hpp>
#include <conformance/check.hpp>
#include <reports/text_table.hpp>

#include <nlohmann/json.hpp>

#include <unistd.h>

#include <chrono>
#include <cmath>
#include <iostream>
#include <memory>
#include <string>

namespace suanli::tools {
namespace {

struct plugin_check_args {
  std::string plugin;    // LIB.so
  double timeout_s = 30; // per check
  bool json = false;     // machine-readable output
  std::string only;      // comma-separated check ids
};

std::string lower(std::string_view s) {
  std::string out(s);
  for (char &c : out) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

void print_json(const plugin_check_args &a, const std::vector<conformance::check_row> &rows,
                const conformance::summary &s) {
  nlohmann::json checks = nlohmann::json::array();
  for (const auto &r : rows) {
    checks.push_back({{"id", r.id},
                      {"what", r.what},
                      {"result", lower(conformance::outcome_name(r.result.result))},
                      {"detail", r.result.detail},
                      {"seconds", std::round(r.result.seconds * 1000) / 1000},
                      {"unsupported_seen", r.result.unsupported_seen},
                      {"missing_reasons", r.result.missing_reasons}});
  }
  const nlohmann::json doc = {
      {"plugin", a.plugin},
      {"timeout_s", a.timeout_s},
      {"checks", checks},
      {"summary", {{"passed", s.passed}, {"failed", s.failed}, {"unsupported", s.unsupported}}}};
  std::cout << doc.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
}

void print_text(const plugin_check_args &a, const std::vector<conformance::check_row> &rows,
                const conformance::summary &s) {
  std::cout << "plugin check: " << a.plugin << "\n\n";
  reports::text_table table({"check", "result", "detail"}, {1, 2});
  for (const auto &r : rows) {
    table.add_row({r.id, std::string(conformance::outcome_name(r.result.result)), r.result.detail});
  }
  std::cout << table.render() << "\n" << conformance::summary_line(s) << "\n";
}

int run_plugin_check(const plugin_check_args &a) {
  const auto checks = conformance::select_checks(a.only);
  const auto timeout = std::chrono::milliseconds(static_cast<int64_t>(a.timeout_s * 1000));
  if (const std::string why = conformance::open_problem(a.plugin, timeout); !why.empty()) {
    bench::fail_input("cannot open plugin " + a.plugin + ": " + why);
  }
  const bool progress = !a.json && isatty(STDERR_FILENO) != 0;
  const auto rows = conformance::run_checks(
      a.plugin, checks, timeout, [progress](size_t i, size_t n, const conformance::check &c) {
        if (progress) {
          std::cerr << "[" << i + 1 << "/" << n << "] " << c.id << "\n";
        }
      });
  const auto s = conformance::summarize(rows);
  if (a.json) {
    print_json(a, rows, s);
  } else {
    print_text(a, rows, s);
  }
  return static_cast<int>(s.failed > 0 ? bench::exit_code::check_failed : bench::exit_code::ok);
}

} // namespace

void add_plugin_command(CLI::App &app, command_status &status) {
  auto *plugin = app.add_subcommand("plugin", "Tools for backend plugin authors");
  plugin->require_subcommand(1);
  auto *check = plugin->add_subcommand(
      "check", "Conformance run of a backend plugin: every check in a child process of its own "
               "(a crash or a hang fails that check only); exit 0 only when nothing failed");
  auto a = std::make_shared<plugin_check_args>();
  check->add_option("LIB.so", a->plugin, "The backend plugin file to check")->required();
  check->add_option("--timeout", a->timeout_s, "Seconds each check may run before it fails")
      ->capture_default_str()
      ->check(CLI::Range(0.1, 86400.0));
  check->add_flag("--json", a->json, "Print a JSON document (one object per check and a summary)");
  std::string ids;
  for (const auto &c : conformance::all_checks()) {
    ids += (ids.empty() ? "" : ",") + std::string(c.id);
  }
  check->add_option("--only", a->only, "Run only these checks (comma-separated ids: " + ids + ")");
  check->callback([a, &status] { status.exit_code = run_plugin_check(*a); });
}

} // namespace suanli::tools
