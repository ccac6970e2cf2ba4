#include "commands.hpp"

#include <bench/error.hpp>
#include <bench/suite.hpp>
#include <kernels/host/discovery.hpp>
#include <reports/text_table.hpp>

#include <iostream>
#include <memory>

namespace suanli::tools {

void add_list_command(CLI::App &app, command_status & /*status*/) {
  auto *cmd = app.add_subcommand("list", "List suites and backends (with availability and why)");
  auto paths = std::make_shared<std::vector<std::string>>();
  cmd->add_option("--backend-path", *paths, "Extra plugin files or folders (colon-separated)");
  cmd->callback([paths] {
    reports::text_table suites({"suite", "cases", "description"}, {2});
    for (const auto &name : bench::available_suites()) {
      try {
        const auto s = bench::load_suite_file(bench::resolve_suite(name));
        suites.add_row({name, std::to_string(s.cases.size()), s.description});
      } catch (const bench::error &e) {
        suites.add_row({name, "-", std::string("invalid: ") + e.what()});
      }
    }
    std::cout << suites.render() << "\n";
    reports::text_table backends({"backend", "status", "plugin", "reason"}, {1, 2, 3});
    for (const auto &e : host::discover_backends(*paths, {})) {
      backends.add_row({e.name, e.available ? "available" : "unavailable", e.file.string(),
                        e.reason});
    }
    std::cout << backends.render();
  });
}

} // namespace suanli::tools
