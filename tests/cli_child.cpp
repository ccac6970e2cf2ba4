#include "cli_child.hpp"

#include "cli_support.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <stdexcept>
#include <thread>

namespace suanli::test {

suanli_child::suanli_child(const std::vector<std::string> &args,
                           const std::vector<std::string> &env, const std::filesystem::path &dir)
    : dir_(dir), start_(std::chrono::steady_clock::now()) {
  // Everything the child needs is prepared before fork: after it, only async-signal-safe calls.
  const std::string out = (dir_ / "child.out").string(), err = (dir_ / "child.err").string();
  std::vector<std::string> argv_text{SUANLI_BIN};
  argv_text.insert(argv_text.end(), args.begin(), args.end());
  std::vector<char *> argv;
  for (auto &a : argv_text) {
    argv.push_back(a.data());
  }
  argv.push_back(nullptr);
  std::vector<std::string> env_text;
  for (char **e = environ; *e != nullptr; ++e) {
    env_text.emplace_back(*e);
  }
  env_text.insert(env_text.end(), env.begin(), env.end());
  std::vector<char *> envp;
  for (auto &e : env_text) {
    envp.push_back(e.data());
  }
  envp.push_back(nullptr);
  pid_ = fork();
  if (pid_ < 0) {
    throw std::runtime_error("fork failed");
  }
  if (pid_ == 0) {
    const int o = open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const int e = open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (o < 0 || e < 0 || dup2(o, STDOUT_FILENO) < 0 || dup2(e, STDERR_FILENO) < 0) {
      _exit(127);
    }
    execve(argv[0], argv.data(), envp.data());
    _exit(127);
  }
}

suanli_child::~suanli_child() {
  if (!reap(false)) {
    kill(pid_, SIGKILL);
    reap(true);
  }
}

bool suanli_child::reap(bool block) {
  if (status_ >= 0) {
    return true;
  }
  int raw = 0;
  const pid_t got = waitpid(pid_, &raw, block ? 0 : WNOHANG);
  if (got != pid_) {
    return false;
  }
  status_ = WIFEXITED(raw) ? WEXITSTATUS(raw) : 128 + WTERMSIG(raw);
  return true;
}

int suanli_child::wait(double limit_s) {
  if (wait_until([] { return false; }, limit_s) || status_ < 0) {
    kill(pid_, SIGKILL);
    reap(true);
    return -1;
  }
  return status_;
}

bool suanli_child::wait_until(const std::function<bool()> &ready, double limit_s) {
  while (seconds() < limit_s) {
    if (ready()) {
      return true;
    }
    if (reap(false)) {
      return false;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return false;
}

void suanli_child::send(int signal) const {
  kill(pid_, signal);
}

std::string suanli_child::out() const {
  return slurp(dir_ / "child.out");
}

std::string suanli_child::err() const {
  return slurp(dir_ / "child.err");
}

double suanli_child::seconds() const {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
}

} // namespace suanli::test
