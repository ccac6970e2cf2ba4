#pragma once

#include <CLI/CLI.hpp>

namespace suanli::tools {

/// Exit status a subcommand's callback sets (bench::exit_code values); errors are thrown as
/// bench::error and mapped by main.
struct command_status {
  int exit_code = 0; ///< 0 success, 1 check said no
};

/// `suanli list`: suites and backends with availability and reason.
void add_list_command(CLI::App &app, command_status &status);
/// `suanli devices`: the devices of every available backend.
void add_devices_command(CLI::App &app, command_status &status);
/// `suanli run`: run a suite, verify every case, write a (signed) report.
void add_run_command(CLI::App &app, command_status &status);
/// `suanli keygen`: make an Ed25519 key pair.
void add_keygen_command(CLI::App &app, command_status &status);
/// `suanli verify`: check a report's signature and statement.
void add_verify_command(CLI::App &app, command_status &status);
/// `suanli show`: print a report as a table.
void add_show_command(CLI::App &app, command_status &status);
/// `suanli plugin check`: conformance run of a backend plugin, each check in a child process.
void add_plugin_command(CLI::App &app, command_status &status);
/// `suanli audit`: recompute and cross-check signed reports; exit 1 on any error finding.
void add_audit_command(CLI::App &app, command_status &status);
/// `suanli challenge issue|show`: platform challenges (make and sign, or print and check).
void add_challenge_command(CLI::App &app, command_status &status);
/// `suanli render`: a report as self-contained HTML, Markdown or CSV.
void add_render_command(CLI::App &app, command_status &status);
/// `suanli compare`: reports case by case with ratios, CIs and significance.
void add_compare_command(CLI::App &app, command_status &status);

} // namespace suanli::tools
