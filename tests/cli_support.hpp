#pragma once

#include <filesystem>
#include <string>

namespace suanli::test {

/// What a command printed and returned.
struct cli_result {
  int exit_code = -1; ///< process exit status
  std::string out;    ///< stdout
  std::string err;    ///< stderr
};

/// Run `suanli <args>` (args already shell-quoted) with optional "VAR=value " prefix `env`.
cli_result run_suanli(const std::string &args, const std::string &env = "");

/// A fresh empty folder for one test, removed by the caller's fixture.
std::filesystem::path fresh_dir(const std::string &name);

/// Read a whole file.
std::string slurp(const std::filesystem::path &p);

/// Write a whole file.
void spit(const std::filesystem::path &p, const std::string &text);

/// Path of a file in tests/data/cli.
std::string cli_data(const std::string &name);

} // namespace suanli::test
