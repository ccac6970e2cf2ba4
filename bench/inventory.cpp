// System inventory (host, memory, OS, virtualization) and the tool's own identity.
#include <bench/inventory.hpp>

#include <bench/build_info.hpp>
#include <bench/inventory_io.hpp>
#include <bench/sha256.hpp>

#include <algorithm>
#include <filesystem>
#include <limits>
#include <map>
#include <sys/utsname.h>
#include <unistd.h>

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif

namespace suanli::bench {
namespace {

using namespace inventory_detail;
using json = nlohmann::json;

// The value, or null when absent.
template <class T> json or_null(const std::optional<T> &v) {
  json out; // null
  if (v.has_value()) {
    out = v.value();
  }
  return out;
}

// A /proc/meminfo "<key>: <n> kB" line in bytes.
std::optional<int64_t> meminfo_bytes(const std::map<std::string, std::string> &info,
                                     const std::string &key) {
  const auto it = info.find(key);
  if (it == info.end()) {
    return std::nullopt;
  }
  const std::string value = it->second;
  const bool kib = value.ends_with(" kB");
  const auto n = parse_int(kib ? value.substr(0, value.size() - 3) : value);
  return n ? std::optional<int64_t>(*n * (kib ? 1024 : 1)) : std::nullopt;
}

// The cgroup memory limit [bytes] when below total, else null: v2 memory.max ("max" when
// unlimited), else v1 memory.limit_in_bytes (a huge number when unlimited).
json cgroup_memory_limit(int64_t total) {
  for (const char *path :
       {"/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"}) {
    if (const auto limit = read_int(path); limit.has_value()) {
      return limit.value() < total ? json(limit.value()) : json(nullptr);
    }
  }
  return nullptr;
}

json memory() {
  const auto info = key_values(read_text("/proc/meminfo").value_or(""), ':', false);
  const auto total = meminfo_bytes(info, "MemTotal");
  return {{"total_bytes", or_null(total)},
          {"available_bytes", or_null(meminfo_bytes(info, "MemAvailable"))},
          {"cgroup_limit_bytes",
           cgroup_memory_limit(total.value_or(std::numeric_limits<int64_t>::max()))}};
}

std::optional<std::string> unquote(const std::map<std::string, std::string> &kv,
                                   const std::string &key) {
  const auto it = kv.find(key);
  if (it == kv.end()) {
    return std::nullopt;
  }
  std::string v = it->second;
  if (v.size() >= 2 && (v.front() == '"' || v.front() == '\'') && v.back() == v.front()) {
    v = v.substr(1, v.size() - 2);
  }
  return v;
}

json os(const utsname *uts) {
  auto text = read_text("/etc/os-release");
  if (!text) {
    text = read_text("/usr/lib/os-release");
  }
  const auto kv = key_values(text.value_or(""), '=', false);
  auto version = unquote(kv, "VERSION_ID");
  if (!version) {
    version = unquote(kv, "VERSION");
  }
  return {{"name", or_null(unquote(kv, "NAME"))},
          {"version", or_null(version)},
          {"id", or_null(unquote(kv, "ID"))},
          {"pretty_name", or_null(unquote(kv, "PRETTY_NAME"))},
          {"kernel", uts != nullptr ? json(uts->release) : json(nullptr)},
          {"machine", uts != nullptr ? json(uts->machine) : json(nullptr)}};
}

// The hypervisor's CPUID signature (leaf 0x40000000), named where known.
std::optional<std::string> hypervisor_vendor() {
#if defined(__x86_64__) || defined(__i386__)
  unsigned a = 0, b = 0, c = 0, d = 0;
  __cpuid(0x40000000U, a, b, c, d);
  char sig[13] = {};
  for (int i = 0; i < 4; ++i) {
    sig[i] = static_cast<char>(b >> (8 * i));
    sig[4 + i] = static_cast<char>(c >> (8 * i));
    sig[8 + i] = static_cast<char>(d >> (8 * i));
  }
  const std::string raw = trim(sig);
  const std::map<std::string, std::string> known{
      {"KVMKVMKVM", "KVM"},     {"Microsoft Hv", "Microsoft Hyper-V"}, {"VMwareVMware", "VMware"},
      {"XenVMMXenVMM", "Xen"},  {"TCGTCGTCGTCG", "QEMU TCG"},          {"ACRNACRNACRN", "ACRN"},
      {"bhyve bhyve", "bhyve"}, {"VBoxVBoxVBox", "VirtualBox"}};
  if (const auto it = known.find(raw); it != known.end()) {
    return it->second;
  }
  const bool printable = !raw.empty() && std::all_of(raw.begin(), raw.end(), [](char ch) {
    return ch >= 0x20 && ch < 0x7f;
  });
  return printable ? std::optional<std::string>(raw) : std::nullopt;
#else
  return read_line("/sys/hypervisor/type");
#endif
}

json virtualization() {
  json out;
  const auto cpuinfo = read_text("/proc/cpuinfo").value_or("");
  const auto first = key_values(cpuinfo, ':', true);
  std::optional<bool> hypervisor;
  if (const auto it = first.find("flags"); it != first.end()) {
    hypervisor = (" " + it->second + " ").find(" hypervisor ") != std::string::npos;
  }
  out["hypervisor"] = or_null(hypervisor);
  out["vendor"] = hypervisor.value_or(false) ? or_null(hypervisor_vendor())
                                             : or_null(read_line("/sys/hypervisor/type"));
  out["dmi_vendor"] = or_null(read_line("/sys/class/dmi/id/sys_vendor"));
  out["dmi_product"] = or_null(read_line("/sys/class/dmi/id/product_name"));
  std::optional<std::string> container;
  std::error_code ec;
  if (std::filesystem::exists("/.dockerenv", ec)) {
    container = "docker";
  } else if (std::filesystem::exists("/run/.containerenv", ec)) {
    container = "podman";
  } else {
    const auto cgroup = read_text("/proc/1/cgroup").value_or("");
    for (const char *name : {"kubepods", "docker", "lxc", "containerd"}) {
      if (cgroup.find(name) != std::string::npos) {
        container = name;
        break;
      }
    }
  }
  out["container"] = or_null(container);
  return out;
}

} // namespace

nlohmann::json probe_system() {
  utsname uts{};
  const utsname *u = uname(&uts) == 0 ? &uts : nullptr;
  return {{"host", {{"hostname", u != nullptr ? json(u->nodename) : json(nullptr)}}},
          {"cpu", probe_cpu()},
          {"memory", memory()},
          {"os", os(u)},
          {"virtualization", virtualization()}};
}

nlohmann::json tool_identity() {
  std::error_code ec;
  const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  json sha = nullptr;
  try {
    sha = sha256_file_hex("/proc/self/exe"); // the running image, even if its path was replaced
  } catch (const std::exception &) {
    sha = nullptr;
  }
  return {{"name", "suanli"},
          {"version", tool_version},
          {"git_commit", git_commit},
          {"binary", ec ? json(nullptr) : json(exe.string())},
          {"binary_sha256", sha}};
}

} // namespace suanli::bench
