// device_count, device_props and device_link: the host CPU as device 0.

#include <kernels/cpu/api.hpp>
#include <kernels/cpu/context.hpp>

#include <sys/utsname.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <fstream>

namespace suanli::cpu {

namespace {

template <size_t N> void put(char (&field)[N], const std::string &text) {
  std::snprintf(field, N, "%s", text.c_str());
}

// MemAvailable from /proc/meminfo [bytes]; 0 when unknown.
uint64_t mem_available_bytes() {
  std::ifstream in("/proc/meminfo");
  for (std::string key; in >> key;) {
    uint64_t kib = 0;
    if (key == "MemAvailable:" && in >> kib) {
      return kib * 1024u;
    }
    in.ignore(1 << 20, '\n');
  }
  return 0;
}

// The first readable non-empty identity file of paths.
std::string first_readable(std::initializer_list<const char *> paths) {
  for (const char *path : paths) {
    if (std::string text = read_first_line(path); !text.empty()) {
      return text;
    }
  }
  return {};
}

} // namespace

sl_status device_count(sl_context *ctx, int32_t *count) {
  if (ctx == nullptr || count == nullptr) {
    return fail(ctx, SL_INVALID_ARGUMENT, "device_count: context or count pointer is NULL");
  }
  *count = 1;
  return SL_OK;
}

sl_status device_props(sl_context *ctx, int32_t device, sl_device_props *props) {
  if (const sl_status s = check_device(ctx, device, "device_props"); s != SL_OK) {
    return s;
  }
  if (props == nullptr || props->struct_size < 2 * sizeof(uint32_t)) {
    return fail(ctx, SL_INVALID_ARGUMENT,
                "device_props: props is NULL or its struct_size is below 8 bytes");
  }
  return guarded(ctx, "device_props", [&] {
    const cpu_info &cpu = ctx->cpu;
    sl_device_props full{};
    full.flags = SL_DEVICE_HOST_ADDRESSABLE; // the plugin supplies timestamps: not HOST_TIMED
    put(full.vendor, cpu.vendor);
    put(full.model, cpu.model_name);
    put(full.uuid, first_readable({"/sys/class/dmi/id/product_uuid", "/etc/machine-id"}));
    put(full.serial, first_readable({"/sys/class/dmi/id/product_serial"}));
    utsname un{};
    if (uname(&un) == 0) {
      put(full.driver_version, un.release);
    }
    if (!cpu.microcode.empty()) {
      put(full.firmware_version, "microcode " + cpu.microcode);
    }
    put(full.arch, isa_summary(cpu, sizeof full.arch - 1));
    full.memory_bytes = mem_available_bytes();
    full.compute_units = static_cast<uint32_t>(ctx->threads);
    full.clock_mhz_current = current_clock(cpu).mhz;
    full.clock_mhz_max = max_clock(cpu).mhz;
    // Copy only what the caller's struct holds; struct_size then says how much was filled.
    const size_t bytes = std::min<size_t>(props->struct_size, sizeof full);
    full.struct_size = static_cast<uint32_t>(bytes);
    std::memcpy(props, &full, bytes);
    return SL_OK;
  });
}

sl_status device_link(sl_context *ctx, int32_t a, int32_t b, sl_device_link *out) {
  if (const sl_status s = check_device(ctx, a, "device_link"); s != SL_OK) {
    return s;
  }
  if (const sl_status s = check_device(ctx, b, "device_link"); s != SL_OK) {
    return s;
  }
  if (out == nullptr || out->struct_size < sizeof(sl_device_link)) {
    return fail(ctx, SL_INVALID_ARGUMENT,
                "device_link: out is NULL or its struct_size is below sizeof(sl_device_link)");
  }
  // One device: the only pair is (0, 0).
  sl_device_link full{};
  full.struct_size = static_cast<uint32_t>(sizeof full);
  full.kind = SL_LINK_SELF;
  put(full.name, "X");
  std::memcpy(out, &full, sizeof full);
  return SL_OK;
}

} // namespace suanli::cpu
