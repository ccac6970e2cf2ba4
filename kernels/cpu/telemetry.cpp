// telemetry_read of the CPU plugin: what Linux exposes without extra privileges or daemons.
//  - clock: mean of cpufreq's scaling_cur_freq over the online CPUs, else of /proc/cpuinfo's
//    "cpu MHz" (which a virtual machine may report as a fixed nominal value);
//  - energy: the RAPL package domains of powercap (intel-rapl, also used by AMD since Zen),
//    summed over packages and unwrapped with max_energy_range_uj, so the counter is monotonic;
//  - temperature: the hottest of the k10temp, zenpower and coretemp hwmon sensors.
// Power draw and throttle reasons are not read (the host derives mean power from energy).

#include <kernels/cpu/api.hpp>
#include <kernels/cpu/context.hpp>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <string>
#include <vector>

namespace suanli::cpu {
namespace {

namespace fs = std::filesystem;

// The first whitespace-separated token of a small sysfs file as a number; false when unreadable.
bool read_number(const fs::path &file, double &out) {
  std::ifstream in(file);
  return static_cast<bool>(in >> out);
}

std::string read_line(const fs::path &file) {
  std::ifstream in(file);
  std::string line;
  std::getline(in, line);
  return line;
}

// Mean current clock of the online CPUs [MHz]; 0 when unknown. `from` names the source.
double mean_clock_mhz(std::string &from) {
  double sum = 0;
  int n = 0;
  std::error_code ec;
  for (const auto &cpu : fs::directory_iterator("/sys/devices/system/cpu", ec)) {
    double khz = 0;
    if (read_number(cpu.path() / "cpufreq" / "scaling_cur_freq", khz) && khz > 0) {
      sum += khz * 1e-3;
      ++n;
    }
  }
  if (n > 0) {
    from = "cpufreq scaling_cur_freq";
    return sum / n;
  }
  std::ifstream info("/proc/cpuinfo");
  for (std::string line; std::getline(info, line);) {
    double mhz = 0;
    if (line.rfind("cpu MHz", 0) == 0 && std::sscanf(line.c_str(), "cpu MHz : %lf", &mhz) == 1) {
      sum += mhz;
      ++n;
    }
  }
  from = "/proc/cpuinfo (nominal in some virtual machines)";
  return n > 0 ? sum / n : 0;
}

// RAPL package energy, unwrapped per domain across calls of all contexts (one process-wide
// state: the counters are the machine's, not a context's).
struct rapl_state {
  std::mutex lock;
  std::vector<double> last_uj;  // last raw reading per package domain
  std::vector<double> total_uj; // unwrapped counter per domain
};

rapl_state &rapl() {
  static rapl_state state;
  return state;
}

// Package domains: /sys/class/powercap/intel-rapl:N with name "package-N".
std::vector<fs::path> package_domains() {
  std::vector<fs::path> out;
  std::error_code ec;
  for (const auto &d : fs::directory_iterator("/sys/class/powercap", ec)) {
    const std::string name = d.path().filename().string();
    if (name.rfind("intel-rapl:", 0) == 0 && name.find(':', 11) == std::string::npos &&
        read_line(d.path() / "name").rfind("package", 0) == 0) {
      out.push_back(d.path());
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

// Summed unwrapped package energy [J]; false (with why) when no domain is readable.
bool package_energy_j(double &joules, std::string &why) {
  const auto domains = package_domains();
  if (domains.empty()) {
    why = "no RAPL package domain in /sys/class/powercap";
    return false;
  }
  auto &s = rapl();
  const std::lock_guard guard(s.lock);
  s.last_uj.resize(domains.size(), -1);
  s.total_uj.resize(domains.size(), 0);
  joules = 0;
  for (size_t i = 0; i < domains.size(); ++i) {
    double uj = 0;
    double range = 0;
    if (!read_number(domains[i] / "energy_uj", uj)) {
      why = "cannot read " + (domains[i] / "energy_uj").string() + " (RAPL is often root-only)";
      return false;
    }
    read_number(domains[i] / "max_energy_range_uj", range);
    if (s.last_uj[i] >= 0) {
      const double delta = uj >= s.last_uj[i] ? uj - s.last_uj[i] : uj + range - s.last_uj[i];
      s.total_uj[i] += delta;
    }
    s.last_uj[i] = uj;
    joules += s.total_uj[i] * 1e-6;
  }
  return true;
}

// Hottest CPU die sensor [degC]; 0 when none.
double hottest_cpu_c() {
  double hottest = 0;
  std::error_code ec;
  for (const auto &h : fs::directory_iterator("/sys/class/hwmon", ec)) {
    const std::string name = read_line(h.path() / "name");
    if (name != "k10temp" && name != "zenpower" && name != "coretemp") {
      continue;
    }
    for (int i = 1; i <= 64; ++i) {
      double milli = 0;
      if (read_number(h.path() / ("temp" + std::to_string(i) + "_input"), milli)) {
        hottest = std::max(hottest, milli * 1e-3);
      }
    }
  }
  return hottest;
}

void set_note(sl_telemetry &out, const std::string &text) {
  const size_t n = std::min(text.size(), sizeof out.note - 1);
  std::memcpy(out.note, text.data(), n);
  out.note[n] = '\0';
}

} // namespace

namespace {

sl_status read_sensors(sl_context *ctx, int32_t device, sl_telemetry *out) {
  if (out == nullptr || out->struct_size < offsetof(sl_telemetry, note) + sizeof out->note) {
    return SL_INVALID_ARGUMENT; // no room for a reason: the host broke the struct_size rule
  }
  const uint32_t size = out->struct_size;
  std::memset(out, 0, sizeof *out);
  out->struct_size = size;
  if (ctx == nullptr || device != 0) {
    set_note(*out, ctx == nullptr ? "telemetry_read: context is NULL"
                                  : "telemetry_read: device " + std::to_string(device) +
                                        " does not exist (the CPU plugin has device 0)");
    return SL_INVALID_ARGUMENT;
  }
  std::string note;
  std::string clock_source;
  if (const double mhz = mean_clock_mhz(clock_source); mhz > 0) {
    out->clock_mhz = static_cast<uint32_t>(mhz + 0.5);
    out->valid |= SL_TELEMETRY_CLOCK;
    note = "clock: " + clock_source;
  }
  std::string why;
  if (double j = 0; package_energy_j(j, why)) {
    out->energy_j = j;
    out->valid |= SL_TELEMETRY_ENERGY;
  } else {
    note += (note.empty() ? "" : "; ") + std::string("no energy: ") + why;
  }
  if (const double c = hottest_cpu_c(); c > 0) {
    out->temperature_c = c;
    out->valid |= SL_TELEMETRY_TEMPERATURE;
  } else {
    note += (note.empty() ? "" : "; ") + std::string("no temperature: no k10temp, zenpower or "
                                                     "coretemp sensor in /sys/class/hwmon");
  }
  set_note(*out, note);
  return out->valid != 0 ? SL_OK : SL_UNSUPPORTED;
}

} // namespace

sl_status telemetry_read(sl_context *ctx, int32_t device, sl_telemetry *out) {
  try {
    return read_sensors(ctx, device, out);
  } catch (const std::exception &e) { // e.g. a sysfs directory vanishing while listed
    set_note(*out, std::string("telemetry_read: ") + e.what());
    return SL_INTERNAL_ERROR;
  }
}

} // namespace suanli::cpu
