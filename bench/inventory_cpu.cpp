// CPU inventory: /proc/cpuinfo, /sys/devices/system/cpu (topology, cpufreq, caches), cgroups.
#include <bench/inventory.hpp>
#include <bench/inventory_io.hpp>

#include <algorithm>
#include <array>
#include <filesystem>
#include <sched.h>
#include <set>
#include <sstream>

namespace suanli::bench {
namespace {

using namespace inventory_detail;
using json = nlohmann::json;
using block = std::map<std::string, std::string>;

const std::string sys_cpu = "/sys/devices/system/cpu/";

// The value, or null when absent.
template <class T> json or_null(const std::optional<T> &v) {
  json out; // null
  if (v.has_value()) {
    out = v.value();
  }
  return out;
}

// SIMD and matrix flags that matter for compute, as the kernel spells them -> as reported.
constexpr std::array<std::pair<std::string_view, std::string_view>, 42> isa_flags{{
    {"sse", "sse"},
    {"sse2", "sse2"},
    {"pni", "sse3"},
    {"ssse3", "ssse3"},
    {"sse4_1", "sse4_1"},
    {"sse4_2", "sse4_2"},
    {"avx", "avx"},
    {"f16c", "f16c"},
    {"fma", "fma"},
    {"fma4", "fma4"},
    {"avx2", "avx2"},
    {"avx_vnni", "avx_vnni"},
    {"avx512f", "avx512f"},
    {"avx512dq", "avx512dq"},
    {"avx512cd", "avx512cd"},
    {"avx512bw", "avx512bw"},
    {"avx512vl", "avx512vl"},
    {"avx512ifma", "avx512ifma"},
    {"avx512vbmi", "avx512vbmi"},
    {"avx512_vbmi2", "avx512_vbmi2"},
    {"avx512_vnni", "avx512_vnni"},
    {"avx512_bf16", "avx512_bf16"},
    {"avx512_fp16", "avx512_fp16"},
    {"amx_tile", "amx_tile"},
    {"amx_bf16", "amx_bf16"},
    {"amx_int8", "amx_int8"},
    {"amx_fp16", "amx_fp16"},
    {"asimd", "asimd"},
    {"asimdhp", "asimdhp"},
    {"asimddp", "asimddp"},
    {"asimdfhm", "asimdfhm"},
    {"fphp", "fphp"},
    {"bf16", "bf16"},
    {"i8mm", "i8mm"},
    {"sve", "sve"},
    {"sve2", "sve2"},
    {"svebf16", "svebf16"},
    {"svei8mm", "svei8mm"},
    {"sme", "sme"},
    {"sme2", "sme2"},
    {"lsx", "lsx"},
    {"lasx", "lasx"},
}};

// Arm "CPU implementer" codes (no vendor_id line on Arm).
constexpr std::array<std::pair<int64_t, std::string_view>, 9> arm_implementers{{{0x41, "ARM"},
                                                                                {0x42, "Broadcom"},
                                                                                {0x43, "Cavium"},
                                                                                {0x46, "Fujitsu"},
                                                                                {0x48, "HiSilicon"},
                                                                                {0x4e, "NVIDIA"},
                                                                                {0x51, "Qualcomm"},
                                                                                {0x61, "Apple"},
                                                                                {0x70, "Phytium"}}};

// sysfs cache (level, type) -> report key.
constexpr std::array<std::tuple<int64_t, std::string_view, std::string_view>, 4> cache_kinds{
    {{1, "Data", "l1d"}, {1, "Instruction", "l1i"}, {2, "Unified", "l2"}, {3, "Unified", "l3"}}};

std::optional<std::string> field(const block &b, std::initializer_list<const char *> keys) {
  for (const char *k : keys) {
    if (const auto it = b.find(k); it != b.end() && !it->second.empty()) {
      return it->second;
    }
  }
  return std::nullopt;
}

std::optional<int64_t> int_field(const block &b, std::initializer_list<const char *> keys) {
  const auto v = field(b, keys);
  if (!v) {
    return std::nullopt;
  }
  return v->starts_with("0x") ? parse_int(*v, 16) : parse_int(*v);
}

void identity(const block &b, json &cpu) {
  std::optional<std::string> vendor = field(b, {"vendor_id", "vendor"});
  if (const auto code = int_field(b, {"CPU implementer"}); !vendor && code) {
    const auto *it = std::find_if(arm_implementers.begin(), arm_implementers.end(),
                                  [&](const auto &e) { return e.first == *code; });
    vendor = it != arm_implementers.end() ? std::string(it->second) : field(b, {"CPU implementer"});
  }
  std::optional<std::string> model = field(b, {"model name", "Model Name", "cpu model", "cpu"});
  if (!model && b.count("CPU part") != 0) {
    model = vendor.value_or("unknown") + " part " + b.at("CPU part");
  }
  cpu["vendor"] = or_null(vendor);
  cpu["model"] = or_null(model);
  cpu["family"] = or_null(int_field(b, {"cpu family", "CPU architecture"}));
  cpu["model_id"] = or_null(int_field(b, {"model", "CPU part"}));
  cpu["stepping"] = or_null(int_field(b, {"stepping", "CPU revision"}));
  cpu["microcode"] = or_null(field(b, {"microcode"}));
  json flags = json::array();
  const std::string all = " " + field(b, {"flags", "Features", "features"}).value_or("") + " ";
  for (const auto &[kernel, reported] : isa_flags) {
    if (all.find(" " + std::string(kernel) + " ") != std::string::npos) {
      flags.push_back(reported);
    }
  }
  cpu["isa_flags"] = flags;
}

void topology(const std::vector<int> &online, const std::vector<block> &blocks, json &cpu) {
  std::set<std::string> packages;
  std::set<std::string> cores;
  for (const int c : online) {
    const std::string t = sys_cpu + "cpu" + std::to_string(c) + "/topology/";
    const auto package = read_line(t + "physical_package_id");
    const auto core = read_line(t + "core_cpus_list").has_value()
                          ? read_line(t + "core_cpus_list")
                          : read_line(t + "thread_siblings_list");
    if (!package || !core) {
      packages.clear();
      cores.clear();
      break;
    }
    packages.insert(*package);
    cores.insert(*package + "/" + *core);
  }
  if (cores.empty()) { // no sysfs topology: /proc/cpuinfo "physical id" and "core id"
    for (const auto &b : blocks) {
      const auto package = field(b, {"physical id"});
      const auto core = field(b, {"core id"});
      if (package && core) {
        packages.insert(*package);
        cores.insert(*package + "/" + *core);
      }
    }
  }
  const auto threads = static_cast<int64_t>(!online.empty() ? online.size() : blocks.size());
  cpu["threads"] = threads > 0 ? json(threads) : json(nullptr);
  cpu["sockets"] = packages.empty() ? json(nullptr) : json(packages.size());
  cpu["cores"] = cores.empty() ? json(nullptr) : json(cores.size());
  cpu["threads_per_core"] = cores.empty() || threads == 0
                                ? json(nullptr)
                                : json(threads / static_cast<int64_t>(cores.size()));
  cpu_set_t mask;
  CPU_ZERO(&mask);
  cpu["usable_threads"] =
      sched_getaffinity(0, sizeof mask, &mask) == 0 ? json(CPU_COUNT(&mask)) : json(nullptr);
  // cgroup v2 cpu.max "quota period" (or "max period"), else v1 cfs quota and period [us]
  std::optional<double> limit;
  if (const auto v2 = read_line("/sys/fs/cgroup/cpu.max")) {
    std::istringstream in(*v2);
    std::string quota;
    double period = 0;
    if (in >> quota >> period && quota != "max" && period > 0) {
      limit = static_cast<double>(parse_int(quota).value_or(0)) / period;
    }
  } else if (const auto quota = read_int("/sys/fs/cgroup/cpu/cpu.cfs_quota_us");
             quota && *quota > 0) {
    const auto period = read_int("/sys/fs/cgroup/cpu/cpu.cfs_period_us");
    if (period && *period > 0) {
      limit = static_cast<double>(*quota) / static_cast<double>(*period);
    }
  }
  cpu["cgroup_cpu_limit"] = or_null(limit);
}

void frequency(int first, const block &b, json &cpu) {
  const std::string f = sys_cpu + "cpu" + std::to_string(first) + "/cpufreq/";
  const auto mhz = [&](const char *name) -> json {
    const auto khz = read_int(f + name);
    return khz ? json(static_cast<double>(*khz) / 1000.0) : json(nullptr);
  };
  json freq{{"current", mhz("scaling_cur_freq")},
            {"min", mhz("cpuinfo_min_freq")},
            {"max", mhz("cpuinfo_max_freq")},
            {"base", mhz("base_frequency")},
            {"source", "cpufreq"}};
  if (freq["current"].is_null() && freq["max"].is_null()) {
    const auto current = field(b, {"cpu MHz"});
    freq["source"] = current ? json("cpuinfo") : json(nullptr);
    freq["current"] = current ? json(std::strtod(current->c_str(), nullptr)) : json(nullptr);
  }
  cpu["frequency_mhz"] = freq;
}

void caches(const std::vector<int> &online, json &cpu) {
  json out;
  std::map<std::string, std::set<std::string>> instances;
  for (const int c : online) {
    for (int i = 0; i < 16; ++i) {
      const std::string d =
          sys_cpu + "cpu" + std::to_string(c) + "/cache/index" + std::to_string(i) + "/";
      const auto level = read_int(d + "level");
      const auto type = read_line(d + "type");
      if (!level || !type) {
        break;
      }
      for (const auto &[lvl, typ, key] : cache_kinds) {
        if (lvl != *level || typ != *type) {
          continue;
        }
        const std::string k(key);
        if (!out.contains(k + "_bytes")) {
          out[k + "_bytes"] = or_null(parse_size(read_line(d + "size").value_or("")));
        }
        if (k == "l1d" && !out.contains("line_bytes")) {
          out["line_bytes"] = or_null(read_int(d + "coherency_line_size"));
        }
        const auto id = read_line(d + "id");
        instances[k].insert(
            id ? "id" + *id : read_line(d + "shared_cpu_list").value_or("cpu" + std::to_string(c)));
      }
    }
  }
  for (const auto &[lvl, typ, key] : cache_kinds) {
    const std::string k(key);
    if (!out.contains(k + "_bytes")) {
      out[k + "_bytes"] = nullptr;
    }
    out[k + "_instances"] = instances.count(k) != 0 ? json(instances[k].size()) : json(nullptr);
  }
  if (!out.contains("line_bytes")) {
    out["line_bytes"] = nullptr;
  }
  cpu["caches"] = out;
}

} // namespace

nlohmann::json probe_cpu() {
  json cpu = json::object();
  const auto text = read_text("/proc/cpuinfo").value_or("");
  const auto blocks = cpuinfo_blocks(text);
  // Identity from the first processor; Arm and x86 kernels repeat it in every block.
  const block first = blocks.empty() ? block{} : blocks.front();
  identity(first, cpu);
  std::vector<int> online = parse_cpu_list(read_line(sys_cpu + "online").value_or(""));
  topology(online, blocks, cpu);
  frequency(online.empty() ? 0 : online.front(), first, cpu);
  caches(online, cpu);
  return cpu;
}

} // namespace suanli::bench
