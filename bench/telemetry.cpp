#include <bench/telemetry.hpp>

#include <kernels/abi/suanli_backend.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <utility>

namespace suanli::bench {
namespace {

constexpr std::array<std::pair<uint64_t, const char *>, 5> k_reason_names{{
    {SL_THROTTLE_POWER_CAP, "power_cap"},
    {SL_THROTTLE_THERMAL, "thermal"},
    {SL_THROTTLE_HW_SLOWDOWN, "hw_slowdown"},
    {SL_THROTTLE_CLOCK_SET, "clock_set"},
    {SL_THROTTLE_OTHER, "other"},
}};

// Range of the values that field selects from the readings that have it.
template <class Field>
std::optional<sensor_range> range_of(const std::vector<telemetry_reading> &readings, Field field) {
  std::vector<double> v;
  for (const auto &r : readings) {
    if (const auto &x = r.*field) {
      v.push_back(*x);
    }
  }
  if (v.empty()) {
    return std::nullopt;
  }
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  const double median = n % 2 == 1 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
  return sensor_range{v.front(), median, v.back()};
}

} // namespace

std::vector<std::string> throttle_reason_names(uint64_t bits) {
  std::vector<std::string> out;
  for (const auto &[bit, name] : k_reason_names) {
    if ((bits & bit) != 0) {
      out.emplace_back(name);
    }
  }
  return out;
}

telemetry_summary summarize_telemetry(const std::vector<telemetry_reading> &readings,
                                      double period_s, const std::string &note) {
  telemetry_summary s;
  s.readings = static_cast<int64_t>(readings.size());
  s.period_s = period_s;
  s.note = note;
  if (readings.empty()) {
    return s;
  }
  s.window_s = readings.back().t_s - readings.front().t_s;
  s.clock_mhz = range_of(readings, &telemetry_reading::clock_mhz);
  s.mem_clock_mhz = range_of(readings, &telemetry_reading::mem_clock_mhz);
  s.power_w = range_of(readings, &telemetry_reading::power_w);
  if (const auto t = range_of(readings, &telemetry_reading::temperature_c)) {
    s.temperature_max_c = t->max;
  }
  // Energy: the counter from the first to the last reading that has it.
  const telemetry_reading *first = nullptr;
  const telemetry_reading *last = nullptr;
  for (const auto &r : readings) {
    if (r.energy_j) {
      first = first == nullptr ? &r : first;
      last = &r;
    }
  }
  if (first != nullptr && last != first && *last->energy_j >= *first->energy_j &&
      last->t_s > first->t_s) {
    s.energy_j = *last->energy_j - *first->energy_j;
    s.mean_power_w = *s.energy_j / (last->t_s - first->t_s);
    s.mean_power_source = "energy counter";
  } else if (s.power_w) {
    double sum = 0;
    int64_t n = 0;
    for (const auto &r : readings) {
      if (r.power_w) {
        sum += *r.power_w;
        ++n;
      }
    }
    s.mean_power_w = sum / static_cast<double>(n);
    s.mean_power_source = "power readings";
  }
  // Throttle: the share of readings with each reason active.
  int64_t known = 0;
  std::array<int64_t, k_reason_names.size()> active{};
  for (const auto &r : readings) {
    if (!r.throttle_bits) {
      continue;
    }
    ++known;
    for (size_t i = 0; i < k_reason_names.size(); ++i) {
      active[i] += (*r.throttle_bits & k_reason_names[i].first) != 0 ? 1 : 0;
    }
  }
  s.throttle_known = known > 0;
  for (size_t i = 0; i < k_reason_names.size(); ++i) {
    if (active[i] > 0) {
      s.throttle.push_back(
          {k_reason_names[i].second, static_cast<double>(active[i]) / static_cast<double>(known)});
    }
  }
  std::stable_sort(s.throttle.begin(), s.throttle.end(),
                   [](const auto &a, const auto &b) { return a.fraction > b.fraction; });
  return s;
}

struct telemetry_sampler::state {
  telemetry_source &source;
  double period_s;
  std::chrono::steady_clock::time_point start = std::chrono::steady_clock::now();
  std::mutex lock;
  std::condition_variable wake;
  bool stopping = false;
  std::vector<telemetry_reading> readings;
  std::string note; // the last reason a reading failed or fields were missing
  std::thread thread;

  state(telemetry_source &src, double period) : source(src), period_s(period) {}

  void take() {
    telemetry_reading r;
    std::string why;
    const bool ok = source.read(r, why);
    r.t_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const std::lock_guard guard(lock);
    if (ok) {
      readings.push_back(r);
    }
    if (!why.empty()) {
      note = why;
    }
  }

  void run() {
    std::unique_lock guard(lock);
    const auto period = std::chrono::duration<double>(period_s);
    while (!wake.wait_for(guard, period, [&] { return stopping; })) {
      guard.unlock();
      take();
      guard.lock();
    }
  }
};

telemetry_sampler::telemetry_sampler(telemetry_source &source, double period_s)
    : s_(std::make_unique<state>(source, period_s)) {
  s_->take();
  s_->thread = std::thread([this] { s_->run(); });
}

telemetry_sampler::~telemetry_sampler() {
  if (s_ && s_->thread.joinable()) {
    {
      const std::lock_guard guard(s_->lock);
      s_->stopping = true;
    }
    s_->wake.notify_all();
    s_->thread.join();
  }
}

telemetry_summary telemetry_sampler::stop() {
  {
    const std::lock_guard guard(s_->lock);
    s_->stopping = true;
  }
  s_->wake.notify_all();
  s_->thread.join();
  s_->take();
  return summarize_telemetry(s_->readings, s_->period_s, s_->note);
}

} // namespace suanli::bench
