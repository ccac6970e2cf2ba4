#pragma once

#include <nlohmann/json.hpp>

namespace suanli::bench {

/// The machine as probed from the kernel (never typed in by the user): host, cpu, memory, os,
/// virtualization. Sources: uname, /proc/cpuinfo, /sys/devices/system/cpu, /proc/meminfo,
/// /etc/os-release, cgroup limits, CPUID. A source that is missing or unreadable gives null;
/// this never throws. Layout:
///   host: {hostname}
///   cpu: probe_cpu()
///   memory: {total_bytes, available_bytes, cgroup_limit_bytes}
///   os: {name, version, id, pretty_name, kernel, machine}
///   virtualization: {hypervisor (bool), vendor, dmi_vendor, dmi_product, container}
[[nodiscard]] nlohmann::json probe_system();

/// The CPU part of probe_system():
///   {vendor, model, family, model_id, stepping, microcode, isa_flags: [...], sockets, cores,
///    threads, threads_per_core, usable_threads (this process's affinity mask), cgroup_cpu_limit
///    (CPUs' worth of quota, null when unlimited), frequency_mhz: {current, min, max, base,
///    source ("cpufreq" or "cpuinfo")}, caches: {l1d_bytes, l1i_bytes, l2_bytes, l3_bytes (each
///    per instance), l1d_instances, l1i_instances, l2_instances, l3_instances, line_bytes}}
[[nodiscard]] nlohmann::json probe_cpu();

/// The running tool: {name: "suanli", version, git_commit, binary (path of /proc/self/exe),
/// binary_sha256 (of the running executable's bytes; null when unreadable)}.
[[nodiscard]] nlohmann::json tool_identity();

} // namespace suanli::bench
