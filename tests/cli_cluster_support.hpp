#pragma once
// Helpers for the multi-rank `suanli run` tests: launch through mpirun with a time limit, read a
// report's payload, rewrite it, and validate it against the published JSON Schema.

#include "cli_support.hpp"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace suanli::test {

/// `s` quoted for sh.
std::string quoted(const std::string &s);

/// Environment variables given to every rank (each set for mpirun and passed on with -x).
using env_list = std::vector<std::pair<std::string, std::string>>;

/// `mpirun --allow-run-as-root --oversubscribe -np <ranks> suanli <args>` (args already
/// shell-quoted), run in `dir` and ended after `timeout_s` seconds (exit code 124 then).
cli_result run_mpi(int ranks, const std::string &args, const std::filesystem::path &dir,
                   const env_list &env = {}, int timeout_s = 180);

/// Path of a file in tests/data/cluster.
std::string cluster_data(const std::string &name);

/// The report payload (the in-toto statement's predicate) of a report file.
nlohmann::json predicate_of(const std::filesystem::path &report);

/// Write to `out` the report `in` with its predicate replaced, as an unsigned envelope whose
/// statement's subject digest matches the new predicate (`show` reads it; `verify` refuses it).
void write_with_predicate(const std::filesystem::path &in, const std::filesystem::path &out,
                          const nlohmann::json &predicate);

/// Empty when `payload` validates against reports/schema/report.schema.json (python3
/// jsonschema), else what the validator printed.
std::string schema_problem(const nlohmann::json &payload, const std::filesystem::path &dir);

/// How often `needle` occurs in `text`.
size_t occurrences(const std::string &text, const std::string &needle);

} // namespace suanli::test
