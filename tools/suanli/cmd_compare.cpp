#include "commands.hpp"

#include <bench/error.hpp>
#include <render/compare.hpp>
#include <render/report_input.hpp>
#include <reports/atomic_file.hpp>

#include <iostream>
#include <memory>

namespace suanli::tools {
namespace {

struct compare_args {
  std::vector<std::string> reports;
  std::string html, md;
};

} // namespace

void add_compare_command(CLI::App &app, command_status &status) {
  auto *cmd = app.add_subcommand(
      "compare", "Compare reports case by case against the first: medians, time ratio with a "
                 "95% bootstrap CI (fixed seed), Mann-Whitney U significance, geometric mean of "
                 "ratios; "
                 "text on stdout unless --html or --md is given");
  auto a = std::make_shared<compare_args>();
  cmd->add_option("reports", a->reports, "Two or more report files; the first is the baseline A")
      ->required();
  cmd->add_option("--html", a->html, "HTML file to write");
  cmd->add_option("--md", a->md, "Markdown file to write");
  cmd->callback([a, &status] {
    if (a->reports.size() < 2) {
      bench::fail_input("compare: give at least two reports (A B [C...]); got " +
                        std::to_string(a->reports.size()));
    }
    std::vector<render::report_input> in;
    for (const auto &r : a->reports) {
      in.push_back(render::load_report(r));
    }
    const auto c = render::compare_reports(in);
    if (!a->html.empty()) {
      reports::write_file_atomic(a->html, render::compare_html(c));
      std::cout << "wrote " << a->html << "\n";
    }
    if (!a->md.empty()) {
      reports::write_file_atomic(a->md, render::compare_markdown(c));
      std::cout << "wrote " << a->md << "\n";
    }
    if (a->html.empty() && a->md.empty()) {
      std::cout << render::compare_text(c);
    }
    status.exit_code = 0;
  });
}

} // namespace suanli::tools
