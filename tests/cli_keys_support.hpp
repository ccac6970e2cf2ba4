#pragma once
// Helpers shared by the cli_keys tests: a scratch folder, secret files, the stock openssl tool.

#include "cli_support.hpp"

#include <gtest/gtest.h>

#include <sys/stat.h>
#include <sys/wait.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <string>

namespace suanli::test {

/// `path` in single quotes, for a shell command line.
inline std::string quoted(const std::filesystem::path &path) {
  return "'" + path.string() + "'";
}

/// Runs a shell command quietly; its exit status (-1 when it did not exit).
inline int shell(const std::string &command) {
  const int rc = std::system((command + " >/dev/null 2>&1").c_str());
  return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

/// True when the stock `openssl` command can be run.
inline bool have_openssl() {
  return shell("openssl version") == 0;
}

/// Exit code `code` and exactly one line on stderr that contains `needle`.
inline void expect_one_error_line(const cli_result &r, int code, const std::string &needle) {
  EXPECT_EQ(r.exit_code, code) << r.out << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  EXPECT_NE(r.err.find(needle), std::string::npos) << r.err;
}

/// A fixture with a fresh folder per test and helpers for key and passphrase files.
class key_fixture : public ::testing::Test {
protected:
  void SetUp() override {
    dir_ = fresh_dir(::testing::UnitTest::GetInstance()->current_test_info()->name());
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  /// A path in the test's folder.
  [[nodiscard]] std::filesystem::path at(const std::string &name) const { return dir_ / name; }
  /// A path in the test's folder, quoted for the shell.
  [[nodiscard]] std::string q(const std::string &name) const { return quoted(at(name)); }
  /// Writes `text` to `name` with mode 0600 (or `mode`).
  void secret_file(const std::string &name, const std::string &text, mode_t mode = 0600) const {
    spit(at(name), text);
    ::chmod(at(name).c_str(), mode);
  }
  /// `suanli run` of the tiny test suite writing r.json, with `extra` options.
  [[nodiscard]] std::string run_tiny(const std::string &extra) const {
    return "run --suite '" + cli_data("tiny.toml") + "' --threads 1 --quiet --out " + q("r.json") +
           " " + extra;
  }
  /// `suanli challenge issue` writing ch.json, with `extra` options.
  [[nodiscard]] std::string issue_challenge(const std::string &extra) const {
    return "challenge issue --scope provider=acme --out " + q("ch.json") + " " + extra;
  }
  std::filesystem::path dir_;
};

} // namespace suanli::test
