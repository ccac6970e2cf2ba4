#include "cli_support.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

namespace suanli::test {

std::string slurp(const std::filesystem::path &p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void spit(const std::filesystem::path &p, const std::string &text) {
  std::ofstream(p, std::ios::binary) << text;
}

std::filesystem::path fresh_dir(const std::string &name) {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("suanli_cli_" + name + "_" + std::to_string(getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

std::string cli_data(const std::string &name) {
  return std::string(SUANLI_TEST_DATA) + "/cli/" + name;
}

namespace {
int counter_ = 0;
} // namespace

cli_result run_suanli(const std::string &args, const std::string &env) {
  const auto dir = std::filesystem::temp_directory_path();
  const auto tag = std::to_string(getpid()) + "_" + std::to_string(++counter_);
  const auto out = dir / ("suanli_out_" + tag);
  const auto err = dir / ("suanli_err_" + tag);
  const std::string cmd = env + " '" + std::string(SUANLI_BIN) + "' " + args + " >'" +
                          out.string() + "' 2>'" + err.string() + "'";
  const int status = std::system(cmd.c_str());
  cli_result r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.out = slurp(out);
  r.err = slurp(err);
  std::filesystem::remove(out);
  std::filesystem::remove(err);
  return r;
}

} // namespace suanli::test
