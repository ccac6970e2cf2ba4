#include <kernels/cpu/cpu_info.hpp>

#include <sched.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <utility>

namespace suanli::cpu {

namespace {

std::string trim(std::string_view s) {
  const auto first = s.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) {
    return {};
  }
  const auto last = s.find_last_not_of(" \t\r\n");
  return std::string(s.substr(first, last - first + 1));
}

uint32_t to_u32(const std::string &s, int base) {
  try {
    return static_cast<uint32_t>(std::stoul(s, nullptr, base));
  } catch (const std::exception &) {
    return 0;
  }
}

// vendor_id -> short vendor name
constexpr std::pair<const char *, const char *> k_vendors[] = {{"AuthenticAMD", "AMD"},
                                                               {"GenuineIntel", "Intel"},
                                                               {"HygonGenuine", "Hygon"},
                                                               {"CentaurHauls", "Zhaoxin"},
                                                               {"  Shanghai  ", "Zhaoxin"}};

uint32_t affinity_cpus() {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof set, &set) == 0 && CPU_COUNT(&set) > 0) {
    return static_cast<uint32_t>(CPU_COUNT(&set));
  }
  const long online = sysconf(_SC_NPROCESSORS_ONLN);
  return online > 0 ? static_cast<uint32_t>(online) : 1u;
}

// kHz value of a cpufreq file of cpu0 converted to MHz; 0 when absent.
uint32_t cpufreq_mhz(const char *file) {
  const std::string text =
      read_first_line((std::string("/sys/devices/system/cpu/cpu0/cpufreq/") + file).c_str());
  return text.empty() ? 0u : to_u32(text, 10) / 1000u;
}

clock_reading clock_from(const cpu_info &cpu, const char *file) {
  if (const uint32_t mhz = cpufreq_mhz(file); mhz > 0) {
    return {mhz, std::string("cpufreq ") + file};
  }
  return {static_cast<uint32_t>(cpu.cpuinfo_mhz + 0.5),
          "/proc/cpuinfo cpu MHz, no cpufreq: nominal, boost not visible"};
}

// Core clock [MHz] from a chain of dependent 1-cycle integer adds: the best of 40 runs of ~1 ms
// (short runs fit in one scheduler slice, so another busy process rarely hides the clock);
// 0 where the chain cannot be written (not x86-64).
uint32_t timed_clock_mhz() {
#if defined(__x86_64__)
  constexpr uint64_t iterations = 200'000; // x 16 adds
  double best_mhz = 0;
  for (int run = 0; run < 40; ++run) {
    uint64_t x = 0;
    const auto t0 = std::chrono::steady_clock::now();
    for (uint64_t i = 0; i < iterations; ++i) {
      asm volatile("add $1, %0\n\tadd $1, %0\n\tadd $1, %0\n\tadd $1, %0\n\t"
                   "add $1, %0\n\tadd $1, %0\n\tadd $1, %0\n\tadd $1, %0\n\t"
                   "add $1, %0\n\tadd $1, %0\n\tadd $1, %0\n\tadd $1, %0\n\t"
                   "add $1, %0\n\tadd $1, %0\n\tadd $1, %0\n\tadd $1, %0"
                   : "+r"(x));
    }
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    best_mhz = std::max(best_mhz, static_cast<double>(iterations * 16) / s * 1e-6);
  }
  // Round to 10 MHz: the figure is an estimate.
  return static_cast<uint32_t>(best_mhz / 10.0 + 0.5) * 10u;
#else
  return 0;
#endif
}

} // namespace

std::string read_first_line(const char *path) {
  std::ifstream in(path);
  std::string line;
  if (!in || !std::getline(in, line)) {
    return {};
  }
  return trim(line);
}

cpu_info probe_cpu() {
  cpu_info cpu;
  std::ifstream in("/proc/cpuinfo");
  std::set<std::pair<std::string, std::string>> cores; // (physical id, core id)
  std::string physical_id;
  int processor = -1;
  for (std::string line; std::getline(in, line);) {
    const auto colon = line.find(':');
    if (colon == std::string::npos) {
      continue;
    }
    const std::string key = trim(std::string_view(line).substr(0, colon));
    const std::string value = trim(std::string_view(line).substr(colon + 1));
    if (key == "processor") {
      ++processor;
    } else if (key == "physical id") {
      physical_id = value;
    } else if (key == "core id") {
      cores.emplace(physical_id, value);
    }
    if (processor > 0) {
      continue; // the remaining fields are taken from the first processor
    }
    if (key == "vendor_id") {
      cpu.vendor_id = line.substr(colon + 2); // keep inner spaces ("  Shanghai  ")
    } else if (key == "model name") {
      cpu.model_name = value;
    } else if (key == "cpu family") {
      cpu.family = to_u32(value, 10);
    } else if (key == "model") {
      cpu.model = to_u32(value, 10);
    } else if (key == "microcode") {
      cpu.microcode = value;
    } else if (key == "cpu MHz") {
      cpu.cpuinfo_mhz = std::strtod(value.c_str(), nullptr);
    } else if (key == "flags") {
      std::istringstream words(value);
      for (std::string flag; words >> flag;) {
        cpu.flags.insert(flag);
      }
    }
  }
  cpu.vendor = trim(cpu.vendor_id);
  for (const auto &[id, name] : k_vendors) {
    if (cpu.vendor_id == id) {
      cpu.vendor = name;
    }
  }
  cpu.logical_cpus = affinity_cpus();
  const auto cores_seen = static_cast<uint32_t>(cores.size());
  cpu.physical_cores = cores_seen == 0 ? cpu.logical_cpus : cores_seen;
  return cpu;
}

clock_reading max_clock(const cpu_info &cpu) {
  if (const uint32_t mhz = cpufreq_mhz("cpuinfo_max_freq"); mhz > 0) {
    return {mhz, "cpufreq cpuinfo_max_freq"};
  }
  // No cpufreq (typical in VMs): "cpu MHz" is the nominal clock and hides boost, so a rated
  // peak built on it could sit below what the chip delivers. Time the clock instead.
  static const uint32_t timed = timed_clock_mhz();
  if (timed > 0) {
    return {timed, "no cpufreq: clock timed with a dependent-add chain on one core (/proc/cpuinfo "
                   "says " +
                       std::to_string(static_cast<uint32_t>(cpu.cpuinfo_mhz + 0.5)) +
                       " MHz nominal)"};
  }
  return clock_from(cpu, "cpuinfo_max_freq");
}

clock_reading current_clock(const cpu_info &cpu) {
  return clock_from(cpu, "scaling_cur_freq");
}

std::string isa_summary(const cpu_info &cpu, size_t max_chars) {
  static constexpr const char *k_order[] = {"amx_bf16",    "amx_int8",    "avx512f",  "avx512_fp16",
                                            "avx512_bf16", "avx512_vnni", "avx_vnni", "avx2",
                                            "fma",         "f16c"};
  utsname un{};
  std::string text = uname(&un) == 0 ? un.machine : "unknown";
  for (const char *flag : k_order) {
    if (cpu.has(flag) && text.size() + 1 + std::string_view(flag).size() <= max_chars) {
      text += ' ';
      text += flag;
    }
  }
  return text;
}

} // namespace suanli::cpu
