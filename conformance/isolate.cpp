#include <conformance/isolate.hpp>

#include <nlohmann/json.hpp>

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <exception>
#include <iostream>
#include <optional>
#include <thread>

namespace suanli::conformance {
namespace {

using clock_type = std::chrono::steady_clock;

int result_fd = -1; // the pipe's write end, in a child of run_isolated only

// Write a whole line to the pipe (best effort: the parent reports a missing result).
void write_line(const std::string &line) {
  if (result_fd < 0) {
    return;
  }
  const std::string text = line + "\n";
  size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = write(result_fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      return;
    }
    done += static_cast<size_t>(n);
  }
}

std::string outcome_key(outcome o) {
  return o == outcome::pass ? "pass" : o == outcome::fail ? "fail" : "unsupported";
}

// The child: run fn, send its result, leave without running the plugin's exit handlers.
[[noreturn]] void child_main(int fd, const std::function<check_result()> &fn) {
  setpgid(0, 0);
  const rlimit no_core{0, 0};
  setrlimit(RLIMIT_CORE, &no_core);
  dup2(STDERR_FILENO, STDOUT_FILENO); // a plugin's chatter must not mix into `--json` output
  result_fd = fd;
  check_result r;
  try {
    r = fn();
  } catch (const std::exception &e) {
    r = fail(e.what());
  } catch (...) {
    r = fail("the check threw an exception that is not a std::exception");
  }
  const nlohmann::json line = {{"result", outcome_key(r.result)},
                               {"detail", r.detail},
                               {"unsupported_seen", r.unsupported_seen},
                               {"missing_reasons", r.missing_reasons}};
  std::fflush(stderr);
  write_line(line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  close(fd);
  _exit(0);
}

// Parse the child's lines: the last stage it noted and its result, if it sent one.
struct child_report {
  std::string stage;
  std::optional<check_result> result;
  std::string garbage; // a line that is not what the child writes
};

void parse_line(const std::string &line, child_report &report) {
  const auto j = nlohmann::json::parse(line, nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    report.garbage = line.substr(0, 200);
    return;
  }
  if (j.contains("stage")) {
    report.stage = j.value("stage", "");
    return;
  }
  check_result r;
  const std::string key = j.value("result", "fail");
  r.result = key == "pass"          ? outcome::pass
             : key == "unsupported" ? outcome::unsupported
                                    : outcome::fail;
  r.detail = j.value("detail", "");
  r.unsupported_seen = j.value("unsupported_seen", 0);
  r.missing_reasons = j.value("missing_reasons", std::vector<std::string>{});
  report.result = std::move(r);
}

// Read the child's lines until its result arrives, EOF, or the deadline.
void read_report(int fd, clock_type::time_point deadline, child_report &report) {
  std::string pending;
  char buf[4096];
  while (!report.result) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - clock_type::now());
    if (left.count() <= 0) {
      return;
    }
    pollfd p{fd, POLLIN, 0};
    const int ready = poll(&p, 1, static_cast<int>(std::min<long long>(left.count(), 1000)));
    if (ready < 0 && errno != EINTR) {
      return;
    }
    if (ready <= 0) {
      continue;
    }
    const ssize_t n = read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      return; // EOF: the child is gone (or closed the pipe)
    }
    pending.append(buf, static_cast<size_t>(n));
    for (size_t eol = pending.find('\n'); eol != std::string::npos; eol = pending.find('\n')) {
      parse_line(pending.substr(0, eol), report);
      pending.erase(0, eol + 1);
    }
  }
}

// Wait for the child until the deadline; nullopt when it is still running.
std::optional<int> wait_until(pid_t pid, clock_type::time_point deadline) {
  for (;;) {
    int status = 0;
    const pid_t got = waitpid(pid, &status, WNOHANG);
    if (got == pid) {
      return status;
    }
    if (got < 0 && errno != EINTR) {
      return 0; // not our child any more: nothing to wait for
    }
    if (clock_type::now() >= deadline) {
      return std::nullopt;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

std::string during(const std::string &stage) {
  return stage.empty() ? "" : " (during " + stage + ")";
}

std::string seconds_text(std::chrono::milliseconds t) {
  const auto ms = t.count();
  return ms % 1000 == 0 ? std::to_string(ms / 1000) + " s" : std::to_string(ms) + " ms";
}

} // namespace

std::string signal_name(int signal) {
  struct named {
    int number;
    const char *name;
  };
  static constexpr named names[] = {
      {SIGSEGV, "SIGSEGV"}, {SIGBUS, "SIGBUS"},   {SIGFPE, "SIGFPE"},   {SIGILL, "SIGILL"},
      {SIGABRT, "SIGABRT"}, {SIGKILL, "SIGKILL"}, {SIGTERM, "SIGTERM"}, {SIGINT, "SIGINT"},
      {SIGPIPE, "SIGPIPE"}, {SIGTRAP, "SIGTRAP"}, {SIGSYS, "SIGSYS"},   {SIGALRM, "SIGALRM"},
      {SIGXCPU, "SIGXCPU"}, {SIGXFSZ, "SIGXFSZ"}, {SIGHUP, "SIGHUP"},   {SIGQUIT, "SIGQUIT"},
      {SIGUSR1, "SIGUSR1"}, {SIGUSR2, "SIGUSR2"}};
  for (const auto &n : names) {
    if (n.number == signal) {
      return n.name;
    }
  }
  return "signal " + std::to_string(signal);
}

void note_stage(std::string_view stage) {
  if (result_fd >= 0) {
    write_line(nlohmann::json{{"stage", std::string(stage)}}.dump(
        -1, ' ', false, nlohmann::json::error_handler_t::replace));
  }
}

check_result run_isolated(const std::function<check_result()> &fn,
                          std::chrono::milliseconds timeout) {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) {
    return fail(std::string("cannot create a pipe for the check's child process: ") +
                std::strerror(errno));
  }
  std::cout.flush(); // nothing buffered may be written twice by the child
  std::cerr.flush();
  std::fflush(nullptr);
  const auto start = clock_type::now();
  const pid_t pid = fork();
  if (pid < 0) {
    const int err = errno;
    close(fds[0]);
    close(fds[1]);
    return fail(std::string("cannot fork the check's child process: ") + std::strerror(err));
  }
  if (pid == 0) {
    close(fds[0]);
    child_main(fds[1], fn);
  }
  setpgid(pid, pid); // also done by the child: whichever runs first
  close(fds[1]);
  const auto deadline = start + timeout;
  child_report report;
  read_report(fds[0], deadline, report);
  close(fds[0]);
  // A child that sent its result gets a moment to exit even past the deadline.
  const auto exit_deadline =
      report.result ? std::max(deadline, clock_type::now() + std::chrono::seconds(5)) : deadline;
  const std::optional<int> status = wait_until(pid, exit_deadline);
  kill(-pid, SIGKILL); // the child if it hangs, and anything it left behind in its group
  if (!status) {
    waitpid(pid, nullptr, 0);
  }
  const double seconds = std::chrono::duration<double>(clock_type::now() - start).count();
  check_result r;
  if (report.result && status) {
    r = std::move(*report.result);
  } else if (report.result) {
    r = std::move(*report.result);
    r.detail += " (then the process did not exit; killed)";
  } else if (!status) {
    r = fail("no result within the " + seconds_text(timeout) + " timeout" + during(report.stage) +
             "; its process group was killed");
  } else if (WIFSIGNALED(*status)) {
    r = fail("killed by " + signal_name(WTERMSIG(*status)) + during(report.stage));
  } else if (!report.garbage.empty()) {
    r = fail("the check's process wrote an unreadable result: " + report.garbage);
  } else {
    r = fail("the check's process exited with status " +
             std::to_string(WIFEXITED(*status) ? WEXITSTATUS(*status) : -1) + " without a result" +
             during(report.stage));
  }
  r.seconds = seconds;
  return r;
}

} // namespace suanli::conformance
