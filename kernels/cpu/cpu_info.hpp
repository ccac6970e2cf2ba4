#pragma once
// What the plugin knows about the host CPU, probed from /proc/cpuinfo, sysfs and the scheduler.

#include <cstdint>
#include <set>
#include <string>
#include <string_view>

namespace suanli::cpu {

/// The host CPU as /proc/cpuinfo describes its first processor, plus counts.
struct cpu_info {
  std::string vendor_id;       ///< raw vendor id, e.g. "AuthenticAMD"
  std::string vendor;          ///< short vendor name, e.g. "AMD"; vendor_id when unknown
  std::string model_name;      ///< "model name", e.g. "AMD EPYC 9654"
  uint32_t family = 0;         ///< "cpu family" (e.g. 0x19 for Zen3/Zen4)
  uint32_t model = 0;          ///< "model"
  std::string microcode;       ///< "microcode", e.g. "0x1000065"
  std::set<std::string> flags; ///< ISA flags as the kernel reports them (OS-enabled)
  uint32_t logical_cpus = 1;   ///< logical CPUs this process may run on
  uint32_t physical_cores = 1; ///< distinct (physical id, core id) pairs, at least 1
  double cpuinfo_mhz = 0;      ///< "cpu MHz" of the first processor [MHz]

  /// Whether the kernel reports flag (e.g. "avx512_bf16").
  bool has(std::string_view flag) const { return flags.count(std::string(flag)) != 0; }
};

/// A clock figure with where it came from.
struct clock_reading {
  uint32_t mhz = 0;   ///< [MHz]; 0 when unknown
  std::string source; ///< e.g. "cpufreq cpuinfo_max_freq" or "/proc/cpuinfo cpu MHz, no cpufreq"
};

/// Probe /proc/cpuinfo and the process affinity mask.
cpu_info probe_cpu();

/// Maximum core clock: cpufreq cpuinfo_max_freq, else timed with a dependent-add chain (x86-64),
/// else /proc/cpuinfo "cpu MHz".
clock_reading max_clock(const cpu_info &cpu);

/// Current core clock: cpufreq scaling_cur_freq, else /proc/cpuinfo "cpu MHz".
clock_reading current_clock(const cpu_info &cpu);

/// ISA summary, most significant first, e.g. "x86_64 avx512f avx512_bf16 avx2 fma", cut at a
/// word boundary to at most max_chars characters.
std::string isa_summary(const cpu_info &cpu, size_t max_chars);

/// First line of a text file with surrounding whitespace removed; empty when unreadable.
std::string read_first_line(const char *path);

} // namespace suanli::cpu
