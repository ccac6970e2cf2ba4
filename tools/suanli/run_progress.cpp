#include "run_progress.hpp"

#include <bench/text.hpp>
#include <reports/text_table.hpp>

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>

namespace suanli::tools {
namespace {

std::string clock_text(double s) {
  const auto whole = static_cast<long>(s + 0.5);
  char buf[32];
  if (whole >= 3600) {
    std::snprintf(buf, sizeof buf, "%ld:%02ld:%02ld", whole / 3600, whole / 60 % 60, whole % 60);
  } else {
    std::snprintf(buf, sizeof buf, "%ld:%02ld", whole / 60, whole % 60);
  }
  return buf;
}

} // namespace

double running_median_s(const std::vector<double> &samples_s) {
  if (samples_s.empty()) {
    return 0;
  }
  std::vector<double> v(samples_s);
  const size_t mid = v.size() / 2;
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(mid), v.end());
  if (v.size() % 2 == 1) {
    return v[mid];
  }
  // Even count: the largest of the lower half, now unordered before mid, is the other middle.
  const double lower = *std::max_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(mid));
  return (lower + v[mid]) / 2;
}

std::string running_median_text(const std::vector<double> &samples_s, double flops_per_call) {
  if (samples_s.empty()) {
    return {};
  }
  const double median_s = running_median_s(samples_s);
  const std::string count =
      std::to_string(samples_s.size()) + (samples_s.size() == 1 ? " sample" : " samples");
  if (flops_per_call > 0 && median_s > 0) {
    const double rate = flops_per_call / median_s; // [FLOP/s]
    const std::string figure = rate >= 1e12   ? bench::fixed(rate / 1e12, 2) + " TFLOP/s"
                               : rate >= 1e10 ? bench::fixed(rate / 1e9, 1) + " GFLOP/s"
                                              : bench::fixed(rate / 1e9, 2) + " GFLOP/s";
    return "median " + figure + " (" + reports::format_seconds(median_s) + ", " + count + ")";
  }
  return "median " + reports::format_seconds(median_s) + " (" + count + ")";
}

std::string case_summary(size_t index, size_t total, const bench::case_result &r) {
  std::string s = "[" + std::to_string(index + 1) + "/" + std::to_string(total) + "] " + r.name +
                  "  " + std::string(bench::status_name(r.status));
  if (r.metrics) {
    s += "  " + bench::fixed(r.metrics->gflops_median, 1) + " GFLOP/s";
  }
  if (r.bandwidth) {
    s += "  busbw " + bench::fixed(r.bandwidth->busbw_gbps, 2) + " GB/s";
  }
  if (r.measured) {
    s += "  median " + reports::format_seconds(r.measured->time_s.median);
  }
  if (r.status != bench::case_status::pass && !r.reason.empty()) {
    s += "  (" + r.reason + ")";
  }
  return s;
}

bool run_progress::stderr_is_live() {
  const char *term = std::getenv("TERM");
  return isatty(STDERR_FILENO) == 1 && (term == nullptr || std::strcmp(term, "dumb") != 0);
}

run_progress::run_progress(bool enabled, bool live, std::FILE *live_out, std::FILE *line_out,
                           progress_clock clock, bool ticker)
    : enabled_(enabled), live_(enabled && live), out_(live_out), line_out_(line_out),
      clock_(clock ? std::move(clock)
                   : progress_clock([] { return std::chrono::steady_clock::now(); })),
      start_(clock_()), case_start_(start_), sample_drawn_(start_) {
  if (live_ && ticker) {
    ticker_ = std::thread([this] { tick(); });
  }
}

run_progress::~run_progress() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  wake_.notify_all();
  if (ticker_.joinable()) {
    ticker_.join();
  }
  finish();
}

double run_progress::seconds_since(std::chrono::steady_clock::time_point t) const {
  return std::chrono::duration<double>(clock_() - t).count();
}

void run_progress::tick() {
  std::unique_lock lock(mu_);
  while (!stop_) {
    wake_.wait_for(lock, std::chrono::milliseconds(500));
    if (!stop_ && drawn_) {
      redraw_locked();
    }
  }
}

void run_progress::redraw_locked() {
  const double all = seconds_since(start_);
  std::string eta = "-";
  if (finished_ > 0 && total_ > finished_) {
    eta =
        clock_text(all / static_cast<double>(finished_) * static_cast<double>(total_ - finished_));
  }
  std::string line =
      "[" + std::to_string(index_ + 1) + "/" + std::to_string(total_) + "] " + name_ + "  " +
      clock_text(seconds_since(case_start_)) + " (total " + clock_text(all) + ", ETA " + eta + ")" +
      (running_.empty() ? "" : "  " + running_) + (last_.empty() ? "" : "  last: " + last_);
  if (line.size() > 150) {
    line.resize(150);
  }
  std::fprintf(out_, "\r\033[K%s", line.c_str());
  std::fflush(out_);
  drawn_ = true;
}

void run_progress::case_started(size_t index, size_t total, const std::string &name,
                                double flops_per_call) {
  if (!enabled_) {
    return;
  }
  std::lock_guard lock(mu_);
  if (total != total_) { // a new phase (per-device cases, then collectives)
    start_ = clock_();
    finished_ = 0;
    last_.clear();
  }
  index_ = index, total_ = total, name_ = name, flops_ = flops_per_call;
  case_start_ = clock_();
  running_.clear();
  sample_drawn_once_ = false;
  if (live_) {
    redraw_locked();
  }
}

void run_progress::case_sample(size_t index, size_t total, const std::vector<double> &samples_s) {
  if (!live_) {
    return;
  }
  std::lock_guard lock(mu_);
  if (index != index_ || total != total_) {
    return; // not the case the line shows
  }
  const auto now = clock_();
  if (sample_drawn_once_ &&
      std::chrono::duration<double>(now - sample_drawn_).count() < sample_redraw_period_s) {
    return; // cheap: no median between redraws
  }
  sample_drawn_ = now;
  sample_drawn_once_ = true;
  running_ = running_median_text(samples_s, flops_);
  redraw_locked();
}

void run_progress::case_finished(size_t index, size_t total, const bench::case_result &r) {
  if (!enabled_) {
    return;
  }
  std::lock_guard lock(mu_);
  finished_ = index + 1;
  running_.clear();
  total_ = total;
  if (!live_) {
    std::fflush(stdout); // keep order with what went to std::cout before
    std::fprintf(line_out_, "%s  (%.1f s)\n", case_summary(index, total, r).c_str(),
                 seconds_since(case_start_));
    std::fflush(line_out_);
    return;
  }
  last_ = std::string(bench::status_name(r.status)) +
          (r.measured ? " median " + reports::format_seconds(r.measured->time_s.median) : "") +
          (r.metrics ? ", " + bench::fixed(r.metrics->gflops_median, 1) + " GFLOP/s" : "") +
          (r.bandwidth ? ", busbw " + bench::fixed(r.bandwidth->busbw_gbps, 2) + " GB/s" : "");
  redraw_locked();
}

void run_progress::finish() {
  if (!live_) {
    return;
  }
  std::lock_guard lock(mu_);
  if (drawn_) {
    std::fprintf(out_, "\r\033[K");
    std::fflush(out_);
    drawn_ = false;
  }
}

} // namespace suanli::tools
