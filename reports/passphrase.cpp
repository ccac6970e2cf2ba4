#include <reports/passphrase.hpp>

#include <bench/error.hpp>

#include <openssl/crypto.h>

#include <fcntl.h>
#include <poll.h>
#include <termios.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <csignal>
#include <cstring>

namespace suanli::reports {
namespace {

volatile std::sig_atomic_t caught_signal = 0;

extern "C" void note_signal(int sig) {
  caught_signal = sig;
}

constexpr std::array<int, 4> prompt_signals = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};

void check_length(const secret_string &pass, const std::string &where) {
  if (pass.bytes.empty()) {
    bench::fail_input("the passphrase " + where + " is empty");
  }
  if (pass.bytes.size() > max_passphrase_bytes) {
    bench::fail_input("the passphrase " + where + " is longer than " +
                      std::to_string(max_passphrase_bytes) + " bytes");
  }
}

/// The terminal, opened for a passphrase: echo off and the prompt signals caught until restore().
class tty_session {
public:
  explicit tty_session(const std::string &options_hint) {
    fd_ = ::open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (fd_ < 0 || ::tcgetattr(fd_, &saved_) != 0) {
      const int err = errno;
      close_fd();
      bench::fail_input(std::string("cannot ask for a passphrase: no terminal (/dev/tty: ") +
                        std::strerror(err) + "); use " + options_hint + " instead");
    }
    caught_signal = 0;
    struct sigaction act {};
    act.sa_handler = note_signal; // no SA_RESTART: read() returns EINTR
    sigemptyset(&act.sa_mask);
    for (std::size_t i = 0; i < prompt_signals.size(); ++i) {
      ::sigaction(prompt_signals[i], &act, &old_[i]);
    }
    termios quiet = saved_;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    ::tcsetattr(fd_, TCSAFLUSH, &quiet);
    active_ = true;
  }
  tty_session(const tty_session &) = delete;
  tty_session &operator=(const tty_session &) = delete;
  ~tty_session() {
    restore();
    close_fd();
  }
  [[nodiscard]] int fd() const { return fd_; }
  /// Echo back on, the previous signal handlers back.
  void restore() noexcept {
    if (!active_) {
      return;
    }
    ::tcsetattr(fd_, TCSAFLUSH, &saved_);
    for (std::size_t i = 0; i < prompt_signals.size(); ++i) {
      ::sigaction(prompt_signals[i], &old_[i], nullptr);
    }
    active_ = false;
  }
  void say(std::string_view text) const {
    while (!text.empty()) {
      const ssize_t n = ::write(fd_, text.data(), text.size());
      if (n <= 0 && errno != EINTR) {
        return; // best effort: the prompt is a courtesy, the read decides
      }
      if (n > 0) {
        text.remove_prefix(static_cast<std::size_t>(n));
      }
    }
  }

private:
  void close_fd() noexcept {
    if (fd_ >= 0) {
      ::close(fd_);
      fd_ = -1;
    }
  }
  int fd_ = -1;
  bool active_ = false;
  termios saved_{};
  std::array<struct sigaction, prompt_signals.size()> old_{};
};

/// Gives the terminal back and lets a caught prompt signal take its course.
[[noreturn]] void end_by_signal(tty_session &tty, secret_string &out, int sig) {
  out.wipe();
  tty.say("\n");
  tty.restore();
  std::raise(sig); // the caller's own handling (by default: the process ends)
  bench::fail_input("passphrase entry interrupted");
}

/// One line from the terminal into `out` (without its '\n'); false at end of input. The flag a
/// signal sets is checked every 100 ms, so a signal that arrives between two reads is not lost.
bool read_line(tty_session &tty, secret_string &out) {
  out.wipe();
  out.bytes.reserve(max_passphrase_bytes + 2); // filled in place: never reallocated
  for (;;) {
    if (const int sig = caught_signal; sig != 0) {
      end_by_signal(tty, out, sig);
    }
    pollfd p{tty.fd(), POLLIN, 0};
    if (::poll(&p, 1, 100) <= 0) {
      continue; // timeout, or EINTR: check the flag again
    }
    char c = 0;
    const ssize_t n = ::read(tty.fd(), &c, 1);
    if (const int sig = caught_signal; sig != 0) {
      end_by_signal(tty, out, sig); // a signal that came with the input wins over it
    }
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      return !out.bytes.empty();
    }
    if (c == '\n') {
      return true;
    }
    if (out.bytes.size() <= max_passphrase_bytes) {
      out.bytes.push_back(c);
    }
    c = 0;
  }
}

void ask(tty_session &tty, const std::string &prompt, secret_string &out) {
  tty.say(prompt);
  const bool got = read_line(tty, out);
  tty.say("\n");
  if (!got) {
    out.wipe();
    tty.restore();
    bench::fail_input("no passphrase entered");
  }
  check_length(out, "entered");
}

} // namespace

std::string passphrase_source::options_text() const {
  return option_prefix + "passphrase-file FILE or " + option_prefix + "passphrase-prompt";
}

void read_passphrase_file(const std::string &path, secret_string &out) {
  read_secret_file(path, "passphrase file", out);
  if (const auto eol = out.bytes.find('\n'); eol != std::string::npos) {
    OPENSSL_cleanse(out.bytes.data() + eol, out.bytes.size() - eol);
    out.bytes.resize(eol);
  }
  check_length(out, "in " + path);
}

void prompt_passphrase(const std::string &prompt, const std::string &options_hint,
                       secret_string &out) {
  tty_session tty(options_hint);
  ask(tty, prompt, out);
}

void obtain_passphrase(const passphrase_source &source, const std::string &key_name,
                       secret_string &out) {
  if (!source.file.empty()) {
    read_passphrase_file(source.file, out);
    return;
  }
  prompt_passphrase("Passphrase for " + key_name + ": ",
                    source.option_prefix + "passphrase-file FILE", out);
}

void obtain_new_passphrase(const passphrase_source &source, const std::string &key_name,
                           secret_string &out) {
  if (!source.file.empty()) {
    read_passphrase_file(source.file, out);
    return;
  }
  tty_session tty(source.option_prefix + "passphrase-file FILE");
  ask(tty, "New passphrase for " + key_name + ": ", out);
  secret_string again;
  ask(tty, "Same passphrase again: ", again);
  if (again.bytes != out.bytes) {
    out.wipe();
    tty.restore();
    bench::fail_input("the two passphrases differ; nothing was written");
  }
}

} // namespace suanli::reports
