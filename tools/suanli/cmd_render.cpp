#include "commands.hpp"

#include <bench/error.hpp>
#include <render/page.hpp>
#include <render/report_input.hpp>
#include <reports/atomic_file.hpp>

#include <iostream>
#include <memory>

namespace suanli::tools {
namespace {

struct render_args {
  std::string report, html, md, csv, pub;
};

} // namespace

void add_render_command(CLI::App &app, command_status &status) {
  auto *cmd = app.add_subcommand(
      "render", "Write a report as a self-contained HTML page (inline CSS and SVG charts), "
                "Markdown or CSV; the signature is checked only with --pub (exit 1 when it does "
                "not verify; the files are written anyway)");
  auto a = std::make_shared<render_args>();
  cmd->add_option("report", a->report, "Report file written by `suanli run`")->required();
  cmd->add_option("--html", a->html, "HTML file to write");
  cmd->add_option("--md", a->md, "Markdown file to write");
  cmd->add_option("--csv", a->csv, "CSV file to write (one row per case)");
  cmd->add_option("--pub", a->pub, "Public key (SPKI PEM) to check the signature with");
  cmd->callback([a, &status] {
    if (a->html.empty() && a->md.empty() && a->csv.empty()) {
      bench::fail_input("render: give at least one of --html FILE, --md FILE, --csv FILE");
    }
    const auto in = render::load_report(a->report, a->pub);
    if (!a->html.empty()) {
      reports::write_file_atomic(a->html, render::html_report(in));
    }
    if (!a->md.empty()) {
      reports::write_file_atomic(a->md, render::markdown_report(in));
    }
    if (!a->csv.empty()) {
      reports::write_file_atomic(a->csv, render::csv_report(in));
    }
    for (const auto *f : {&a->html, &a->md, &a->csv}) {
      if (!f->empty()) {
        std::cout << "wrote " << *f << "\n";
      }
    }
    std::cout << a->report << ": " << render::banner_text(in) << "\n";
    if (in.checked && !in.valid) {
      status.exit_code = static_cast<int>(bench::exit_code::check_failed);
    }
  });
}

} // namespace suanli::tools
