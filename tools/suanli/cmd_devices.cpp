#include "commands.hpp"
#include "device_database.hpp"

#include <bench/inventory_links.hpp>
#include <bench/text.hpp>
#include <kernels/host/discovery.hpp>

#include <iostream>
#include <memory>
#include <optional>

namespace suanli::tools {

void add_devices_command(CLI::App &app, command_status & /*status*/) {
  auto *cmd = app.add_subcommand("devices", "Show the devices of every available backend");
  auto paths = std::make_shared<std::vector<std::string>>();
  cmd->add_option("--backend-path", *paths, "Extra plugin files or folders (colon-separated)");
  auto list_db = std::make_shared<bool>(false);
  auto db_path = std::make_shared<std::string>();
  cmd->add_flag("--db", *list_db, "List the rated-peak device database instead");
  cmd->add_option("--device-db", *db_path,
                  "Device database folder or file (default: the installed suites/devices)");
  cmd->callback([paths, list_db, db_path] {
    if (*list_db) {
      print_device_database(std::cout, open_device_database(*db_path));
      return;
    }
    std::optional<devices::database> db;
    std::string db_reason;
    try {
      db = open_device_database(*db_path);
    } catch (const bench::error &e) {
      if (!db_path->empty() || e.code() == bench::exit_code::bad_input) {
        throw; // a database named on the command line, or an invalid one, stops here
      }
      db_reason = e.what();
    }
    for (const auto &e : host::discover_backends(*paths, {})) {
      if (!e.backend) {
        std::cout << e.name << ": unavailable: " << e.reason << "\n";
        continue;
      }
      const auto devices = e.backend->devices();
      for (const auto &d : devices) {
        std::cout << e.name << ":" << d.index << "  " << d.model << "\n"
                  << "  vendor          " << d.vendor << "\n"
                  << "  arch            " << d.arch << "\n"
                  << "  compute units   " << d.compute_units << "\n"
                  << "  clock           " << d.clock_mhz_current << " MHz (max " << d.clock_mhz_max
                  << " MHz)\n"
                  << "  memory          "
                  << bench::fixed(static_cast<double>(d.memory_bytes) / double(1ull << 30), 2)
                  << " GiB available\n"
                  << "  uuid            " << d.uuid << "\n"
                  << "  driver          " << d.driver_version << "\n"
                  << "  firmware        " << d.firmware_version << "\n"
                  << "  timer           " << (d.host_timed ? "host clock" : "device events") << "\n"
                  << "  database entry  "
                  << (db ? describe_match(*db, d) : "unavailable: " + db_reason) << "\n";
      }
      for (const auto &[lib, version] : e.backend->library_versions()) {
        std::cout << "  library         " << lib << " " << version << "\n";
      }
      std::cout << bench::link_matrix_text(
          bench::probe_links(*e.backend, static_cast<int32_t>(devices.size())), e.name);
    }
  });
}

} // namespace suanli::tools
