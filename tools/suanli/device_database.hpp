#pragma once
// The rated-peak device database (suites/devices/) as the command line uses it: the peak of the
// run's device for `suanli run`, and the listing of `suanli devices --db`.

#include <bench/backend.hpp>
#include <devices/database.hpp>

#include <functional>
#include <optional>
#include <ostream>
#include <string>

namespace suanli::tools {

/// The database at path (empty: the installed suites/devices folder). Throws bench::error:
/// exit 2 for an invalid file (file:line), exit 3 when no database is installed.
[[nodiscard]] devices::database open_device_database(const std::string &path);

/// The database's rated peak of `device` for a dtype, for bench::run_options::database_peak:
/// nullopt with the reason when the device has no entry or the entry no figure.
[[nodiscard]] std::function<std::optional<bench::peak_rate>(sl_dtype, std::string &)>
database_peaks(std::shared_ptr<const devices::database> db, const bench::device_info &device);

/// "entry-id (file)" of the device's entry, or "no entry: <reason>".
[[nodiscard]] std::string describe_match(const devices::database &db,
                                         const bench::device_info &device);

/// The whole database as a table: one row per device with memory, bandwidth, link and the
/// dense rated peak of each dtype ("n/p" not published, "-" no such unit, blank not listed).
void print_device_database(std::ostream &out, const devices::database &db);

} // namespace suanli::tools
