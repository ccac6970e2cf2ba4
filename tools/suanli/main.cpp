// suanli: accelerator benchmarking and certification suite. Exit codes (DESIGN.md):
// 0 success, 1 the check said no, 2 bad input or usage, 3 environment or backend failure.
#include "commands.hpp"

#include <bench/build_info.hpp>
#include <bench/error.hpp>

#include <iostream>

int main(int argc, char **argv) {
  using suanli::bench::exit_code;
  CLI::App app{"suanli: accelerator benchmarking and certification suite"};
  app.set_version_flag("--version", std::string("suanli ") + suanli::bench::tool_version + " (" +
                                        suanli::bench::git_commit + ")");
  app.require_subcommand(1);
  app.fallthrough(false);
  suanli::tools::command_status status;
  suanli::tools::add_list_command(app, status);
  suanli::tools::add_devices_command(app, status);
  suanli::tools::add_run_command(app, status);
  suanli::tools::add_keygen_command(app, status);
  suanli::tools::add_verify_command(app, status);
  suanli::tools::add_show_command(app, status);
  suanli::tools::add_plugin_command(app, status);
  suanli::tools::add_audit_command(app, status);
  suanli::tools::add_challenge_command(app, status);
  suanli::tools::add_render_command(app, status);
  suanli::tools::add_compare_command(app, status);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError &e) {
    const int rc = app.exit(e); // prints help, version or the usage error
    return rc == 0 ? 0 : static_cast<int>(exit_code::bad_input);
  } catch (const suanli::bench::error &e) {
    std::cerr << "suanli: error: " << e.what() << "\n";
    return static_cast<int>(e.code());
  } catch (const std::exception &e) {
    std::cerr << "suanli: error: " << e.what() << "\n";
    return static_cast<int>(exit_code::environment);
  }
  return status.exit_code;
}
