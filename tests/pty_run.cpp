#include "pty_run.hpp"

#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <deque>

namespace suanli::test {
namespace {

[[noreturn]] void exec_or_die(const std::vector<std::string> &argv) {
  std::vector<char *> args;
  for (const auto &a : argv) {
    args.push_back(const_cast<char *>(a.c_str()));
  }
  args.push_back(nullptr);
  ::execv(args[0], args.data());
  ::_exit(127);
}

bool ends_with_prompt(const std::string &text, std::size_t from) {
  return text.size() >= from + 2 && text.compare(text.size() - 2, 2, ": ") == 0;
}

/// Reads `fd` until end of output or the time limit, typing answers at prompts; then reaps `pid`.
tty_result collect(pid_t pid, int fd, std::deque<std::string> answers, double timeout_s) {
  tty_result r;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(timeout_s);
  std::size_t answered_at = 0; // transcript size when the last answer was typed
  bool timed_out = false;
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      timed_out = true;
      break;
    }
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(std::min<long long>(left.count(), 200))) <= 0) {
      continue;
    }
    char buf[4096];
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n <= 0) {
      break; // EOF, or EIO once the program closed the terminal
    }
    r.transcript.append(buf, static_cast<std::size_t>(n));
    if (!answers.empty() && ends_with_prompt(r.transcript, answered_at)) {
      const std::string line = answers.front() + "\n";
      answers.pop_front();
      (void)!::write(fd, line.data(), line.size());
      answered_at = r.transcript.size();
    }
  }
  if (timed_out) {
    ::kill(pid, SIGKILL);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  r.exit_code = !timed_out && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

} // namespace

tty_result run_on_pty(const std::vector<std::string> &argv, std::vector<std::string> answers,
                      double timeout_s) {
  int master = -1;
  const pid_t pid = ::forkpty(&master, nullptr, nullptr, nullptr);
  if (pid < 0) {
    return {};
  }
  if (pid == 0) {
    exec_or_die(argv);
  }
  tty_result r = collect(pid, master, {answers.begin(), answers.end()}, timeout_s);
  ::close(master);
  return r;
}

tty_result run_without_tty(const std::vector<std::string> &argv, double timeout_s) {
  int out[2];
  if (::pipe(out) != 0) {
    return {};
  }
  const pid_t pid = ::fork();
  if (pid < 0) {
    return {};
  }
  if (pid == 0) {
    ::setsid(); // a new session: no controlling terminal, so /dev/tty cannot be opened
    const int null_fd = ::open("/dev/null", O_RDONLY);
    ::dup2(null_fd, 0);
    ::dup2(out[1], 1);
    ::dup2(out[1], 2);
    ::close(out[0]);
    exec_or_die(argv);
  }
  ::close(out[1]);
  tty_result r = collect(pid, out[0], {}, timeout_s);
  ::close(out[0]);
  return r;
}

} // namespace suanli::test
