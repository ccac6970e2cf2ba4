#include <conformance/abi_table.hpp>

#include <kernels/abi/suanli_backend.h>

#include <cstddef>
#include <iterator>

namespace suanli::conformance {
namespace {

// The table through one function pointer field.
constexpr size_t through(size_t offset) {
  return offset + sizeof(void *);
}

constexpr size_t k_sizes[] = {
    through(offsetof(sl_backend_api, measure_peak)),            // 1.0
    through(offsetof(sl_backend_api, attention_plan_describe)), // 1.1: attention
    through(offsetof(sl_backend_api, collective_run)),          // 1.2: collectives
#if SL_ABI_MINOR >= 3
    through(offsetof(sl_backend_api, telemetry_read)), // 1.3: telemetry
#endif
#if SL_ABI_MINOR >= 4
    through(offsetof(sl_backend_api, device_link)), // 1.4: device links
#endif
};
static_assert(std::size(k_sizes) == SL_ABI_MINOR + 1, "a new ABI minor needs its table size here");
static_assert(k_sizes[SL_ABI_MINOR] == sizeof(sl_backend_api), "the last minor is the whole table");

std::string version(unsigned major, unsigned minor) {
  return std::to_string(major) + "." + std::to_string(minor);
}

} // namespace

size_t abi_table_size(uint16_t minor) {
  return minor < std::size(k_sizes) ? k_sizes[minor] : sizeof(sl_backend_api);
}

int abi_minor_of_size(uint32_t struct_size) {
  int minor = -1;
  for (size_t m = 0; m < std::size(k_sizes); ++m) {
    if (struct_size >= k_sizes[m]) {
      minor = static_cast<int>(m);
    }
  }
  return minor;
}

std::string abi_version_problem(uint16_t major, uint16_t minor, uint32_t struct_size) {
  const std::string host = version(SL_ABI_MAJOR, SL_ABI_MINOR);
  if (major != SL_ABI_MAJOR) {
    return "the plugin speaks ABI " + version(major, minor) + "; this suanli speaks ABI " + host +
           " and refuses another major";
  }
  if (struct_size < abi_table_size(0)) {
    return "struct_size is " + std::to_string(struct_size) +
           " bytes, smaller than the ABI 1.0 table (" + std::to_string(abi_table_size(0)) +
           " bytes)";
  }
  const size_t need = abi_table_size(minor);
  if (struct_size < need) {
    const int real = abi_minor_of_size(struct_size);
    return "version lie: the table claims ABI " + version(major, minor) + ", whose table is " +
           std::to_string(need) + " bytes, but its struct_size is " + std::to_string(struct_size) +
           " (the ABI " + version(SL_ABI_MAJOR, static_cast<unsigned>(real)) + " table)";
  }
  return "";
}

} // namespace suanli::conformance
