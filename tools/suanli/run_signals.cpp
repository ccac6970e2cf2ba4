#include "run_signals.hpp"

#include <bench/backend_call.hpp>

#include <unistd.h>

#include <array>
#include <atomic>

namespace suanli::tools {
namespace {

constexpr std::array<int, 5> crash_signals = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT};
constexpr std::array<int, 2> stop_signals = {SIGINT, SIGTERM};

std::atomic<int> interrupt_signal{0}; // the first SIGINT/SIGTERM, 0 while none arrived
static_assert(std::atomic<int>::is_always_lock_free);

// Text a handler reads: two buffers, the index of the complete one published atomically, so a
// handler never reads a buffer that is being rewritten.
class signal_text {
public:
  void set(const std::string &text) {
    const int next = current_.load(std::memory_order_relaxed) == 0 ? 1 : 0;
    const size_t n = text.copy(slots_[next].data(), slots_[next].size() - 1);
    slots_[next][n] = '\0';
    current_.store(next, std::memory_order_release);
  }
  [[nodiscard]] const char *get() const noexcept {
    const int i = current_.load(std::memory_order_acquire);
    return i < 0 ? "" : slots_[i].data();
  }

private:
  std::array<std::array<char, 256>, 2> slots_{};
  std::atomic<int> current_{-1};
};

signal_text case_text, backend_text, who_text;
std::array<struct sigaction, crash_signals.size()> previous_crash{};
std::array<struct sigaction, stop_signals.size()> previous_stop{};
std::array<char, 1 << 16> alt_stack_memory{}; // a stack overflow still gets its line
bool alt_stack_ours = false;

// One line assembled without allocation, written with one write(2).
class signal_line {
public:
  signal_line &operator<<(const char *text) noexcept {
    for (; text != nullptr && *text != '\0' && n_ < buf_.size(); ++text) {
      buf_[n_++] = *text;
    }
    return *this;
  }
  signal_line &operator<<(int value) noexcept {
    char digits[12];
    int k = 0;
    do {
      digits[k++] = static_cast<char>('0' + value % 10);
      value /= 10;
    } while (value > 0 && k < 11);
    while (k > 0 && n_ < buf_.size()) {
      buf_[n_++] = digits[--k];
    }
    return *this;
  }
  void write_out() const noexcept {
    const ssize_t ignored = ::write(STDERR_FILENO, buf_.data(), n_);
    (void)ignored;
  }

private:
  std::array<char, 1024> buf_{};
  size_t n_ = 0;
};

const char *signal_name(int sig) noexcept {
  switch (sig) {
  case SIGSEGV: return "SIGSEGV";
  case SIGBUS: return "SIGBUS";
  case SIGFPE: return "SIGFPE";
  case SIGILL: return "SIGILL";
  case SIGABRT: return "SIGABRT";
  case SIGINT: return "SIGINT";
  case SIGTERM: return "SIGTERM";
  default: return "a signal";
  }
}

// " during case X on WHO" or " between cases on WHO".
void add_place(signal_line &line) noexcept {
  const char *c = case_text.get();
  if (*c != '\0') {
    line << " during case " << c;
  } else {
    line << " outside any case";
  }
  line << " on " << who_text.get();
}

extern "C" void on_crash(int sig, siginfo_t *info, void *) {
  const char *call = bench::backend_call_in_progress();
  signal_line line;
  if (call != nullptr) {
    line << "suanli: error: " << backend_text.get() << " backend crashed (" << signal_name(sig)
         << ") in backend call " << call;
    add_place(line);
    line << "; ending the run (exit 3), no report written\n";
    line.write_out();
    _exit(3);
  }
  line << "suanli: error: crash (" << signal_name(sig) << ") outside any backend call";
  add_place(line);
  line << "; this is a bug in suanli; no report written\n";
  line.write_out();
  // Hand the signal to the handler before ours (a sanitizer's, or the default): a fault
  // re-executes into it; a sent signal (abort, kill) is raised again once this one returns.
  for (size_t i = 0; i < crash_signals.size(); ++i) {
    if (crash_signals[i] == sig) {
      sigaction(sig, &previous_crash[i], nullptr);
    }
  }
  if (info == nullptr || info->si_code <= 0) {
    raise(sig);
  }
}

extern "C" void on_stop(int sig) {
  int none = 0;
  if (interrupt_signal.compare_exchange_strong(none, sig)) {
    return; // the run stops at its next check point
  }
  signal_line line;
  line << "suanli: interrupted again (" << signal_name(sig) << ")";
  add_place(line);
  line << "; ending at once (exit " << 128 + sig << "), no report written\n";
  line.write_out();
  _exit(128 + sig);
}

} // namespace

run_interrupted::run_interrupted(int signal)
    : std::runtime_error(std::string("interrupted by ") + signal_name(signal)), signal_(signal) {}

int interrupted_exit_code(int signal) noexcept {
  return 128 + signal;
}

run_signals::run_signals(const std::string &who) {
  who_text.set(who);
  backend_text.set("the");
  case_text.set("");
  interrupt_signal.store(0);
  stack_t current{};
  if (sigaltstack(nullptr, &current) == 0 && (current.ss_flags & SS_DISABLE) != 0) {
    stack_t ours{};
    ours.ss_sp = alt_stack_memory.data();
    ours.ss_size = alt_stack_memory.size();
    alt_stack_ours = sigaltstack(&ours, nullptr) == 0;
  }
  struct sigaction crash {};
  crash.sa_sigaction = on_crash;
  crash.sa_flags = SA_SIGINFO | SA_ONSTACK;
  sigemptyset(&crash.sa_mask);
  for (size_t i = 0; i < crash_signals.size(); ++i) {
    sigaction(crash_signals[i], &crash, &previous_crash[i]);
  }
  struct sigaction stop {};
  stop.sa_handler = on_stop;
  stop.sa_flags = SA_RESTART; // a plugin's system calls carry on; the run stops at a check point
  sigemptyset(&stop.sa_mask);
  for (size_t i = 0; i < stop_signals.size(); ++i) {
    sigaction(stop_signals[i], &stop, &previous_stop[i]);
  }
}

run_signals::~run_signals() {
  for (size_t i = 0; i < stop_signals.size(); ++i) {
    sigaction(stop_signals[i], &previous_stop[i], nullptr);
  }
  for (size_t i = 0; i < crash_signals.size(); ++i) {
    sigaction(crash_signals[i], &previous_crash[i], nullptr);
  }
  if (alt_stack_ours) {
    stack_t off{};
    off.ss_flags = SS_DISABLE;
    sigaltstack(&off, nullptr);
    alt_stack_ours = false;
  }
}

void run_signals::set_backend(const std::string &name) {
  backend_text.set(name);
}

void run_signals::case_started(const std::string &name) {
  current_ = name;
  case_text.set(name);
}

void run_signals::case_finished() {
  if (!current_.empty()) {
    completed_.push_back(current_);
  }
  current_.clear();
  case_text.set("");
}

void run_signals::check_interrupt() {
  if (const int sig = interrupt_signal.load(); sig != 0) {
    throw run_interrupted(sig);
  }
}

std::string run_signals::interrupted_line(int signal) const {
  std::string line = std::string("suanli: interrupted by ") + signal_name(signal) +
                     (current_.empty() ? std::string(completed_.empty() ? " before the first case"
                                                                        : " between cases")
                                       : " during case " + current_) +
                     ": completed " + std::to_string(completed_.size()) + " of " +
                     std::to_string(total_) + " cases";
  if (!completed_.empty()) {
    constexpr size_t shown = 4; // the last few names keep the line short
    line += completed_.size() <= shown ? " (" : " (last " + std::to_string(shown) + ": ";
    for (size_t i = completed_.size() > shown ? completed_.size() - shown : 0;
         i < completed_.size(); ++i) {
      line += completed_[i] + (i + 1 < completed_.size() ? ", " : ")");
    }
  }
  return line + "; no report written (exit " + std::to_string(interrupted_exit_code(signal)) + ")";
}

} // namespace suanli::tools
