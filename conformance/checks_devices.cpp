// devices: device_count and the properties of every device.

#include <conformance/checks.hpp>
#include <conformance/isolate.hpp>
#include <conformance/session.hpp>

#include <array>
#include <cstddef>
#include <cstring>
#include <vector>

namespace suanli::conformance {
namespace {

constexpr unsigned char k_sentinel = 0xA5; // bytes the plugin must not write, or must terminate

// An inline string field: its name, where it is and how large.
struct string_field {
  const char *name;
  size_t offset;
  size_t size;
  bool required; // must be non-empty
};

#define SL_FIELD(f, required)                                                                      \
  string_field {                                                                                   \
#f, offsetof(sl_device_props, f), sizeof(sl_device_props::f), required                         \
  }
constexpr std::array<string_field, 8> k_strings = {SL_FIELD(vendor, true),
                                                   SL_FIELD(model, true),
                                                   SL_FIELD(uuid, true),
                                                   SL_FIELD(serial, false),
                                                   SL_FIELD(pci_bus_id, false),
                                                   SL_FIELD(driver_version, false),
                                                   SL_FIELD(firmware_version, false),
                                                   SL_FIELD(arch, false)};
#undef SL_FIELD

// What is wrong with the properties of one device, or "".
std::string props_problem(const sl_device_props &p, int32_t device) {
  const std::string dev = "device " + std::to_string(device) + ": ";
  const auto *bytes = reinterpret_cast<const unsigned char *>(&p);
  for (const auto &f : k_strings) {
    const void *nul = std::memchr(bytes + f.offset, '\0', f.size);
    if (nul == nullptr) {
      return dev + f.name + " has no NUL terminator inside its " + std::to_string(f.size) +
             "-byte array";
    }
    if (f.required && bytes[f.offset] == '\0') {
      return dev + f.name + " is empty";
    }
  }
  if (p.memory_bytes == 0) {
    return dev + "memory_bytes is 0";
  }
  if (p.clock_mhz_current != 0 && p.clock_mhz_max != 0 && p.clock_mhz_max < p.clock_mhz_current) {
    return dev + "clock_mhz_max " + std::to_string(p.clock_mhz_max) +
           " is below clock_mhz_current " + std::to_string(p.clock_mhz_current);
  }
  return "";
}

// A caller with an older, shorter sl_device_props: nothing past its struct_size may change.
std::string short_struct_problem(const session &s, int32_t device) {
  constexpr size_t k_short = offsetof(sl_device_props, memory_bytes); // the strings only
  std::vector<unsigned char> buf(sizeof(sl_device_props) + 64, k_sentinel);
  sl_device_props head{};
  head.struct_size = static_cast<uint32_t>(k_short);
  std::memcpy(buf.data(), &head, sizeof head.struct_size);
  note_stage("device_props with struct_size " + std::to_string(k_short));
  const sl_status st =
      s.api().device_props(s.ctx(), device, reinterpret_cast<sl_device_props *>(buf.data()));
  for (size_t i = k_short; i < buf.size(); ++i) {
    if (buf[i] != k_sentinel) {
      return "device_props with struct_size " + std::to_string(k_short) + " wrote byte " +
             std::to_string(i) + ", past the caller's struct (struct_size not honoured)";
    }
  }
  if (st != SL_OK && s.last_error().empty()) {
    return "device_props with struct_size " + std::to_string(k_short) + " returned " +
           sl_status_name(st) + " with no reason";
  }
  return "";
}

// An index that does not exist must be an error with a reason.
std::string bad_index_problem(const session &s, int32_t index) {
  sl_device_props p{};
  p.struct_size = sizeof(p);
  note_stage("device_props(" + std::to_string(index) + ")");
  const sl_status st = s.api().device_props(s.ctx(), index, &p);
  if (st == SL_OK) {
    return "device_props(" + std::to_string(index) +
           ") of a device that does not exist returned ok";
  }
  if (s.last_error().empty()) {
    return "device_props(" + std::to_string(index) + ") returned " + sl_status_name(st) +
           " with no reason";
  }
  if (st == SL_UNSUPPORTED) {
    log_unsupported("device_props(" + std::to_string(index) + ")", s.last_error());
  }
  return "";
}

} // namespace

check_result check_devices(const check_input &in) {
  session s(in.plugin);
  int32_t count = -1;
  note_stage("device_count");
  if (const sl_status st = s.api().device_count(s.ctx(), &count); st != SL_OK) {
    return fail(std::string("device_count failed: ") + sl_status_name(st) + ": " +
                clip(s.last_error()));
  }
  if (count < 1) {
    return fail("device_count gave " + std::to_string(count) +
                "; the checks need at least one device");
  }
  std::string first_model;
  for (int32_t d = 0; d < count && d < 64; ++d) {
    std::vector<unsigned char> buf(sizeof(sl_device_props), k_sentinel);
    sl_device_props head{};
    head.struct_size = sizeof(sl_device_props);
    std::memcpy(buf.data(), &head, sizeof head.struct_size);
    note_stage("device_props(" + std::to_string(d) + ")");
    const sl_status st =
        s.api().device_props(s.ctx(), d, reinterpret_cast<sl_device_props *>(buf.data()));
    if (st != SL_OK) {
      return fail("device_props(" + std::to_string(d) + ") failed: " + sl_status_name(st) + ": " +
                  clip(s.last_error()));
    }
    sl_device_props p{};
    std::memcpy(&p, buf.data(), sizeof p);
    if (const std::string problem = props_problem(p, d); !problem.empty()) {
      return fail(problem);
    }
    if (const std::string problem = short_struct_problem(s, d); !problem.empty()) {
      return fail(problem);
    }
    if (d == 0) {
      first_model = plugin_text(p.model, sizeof p.model) + ", " +
                    std::to_string(p.memory_bytes >> 20) + " MiB";
    }
  }
  for (const int32_t bad : {int32_t{-1}, count}) {
    if (const std::string problem = bad_index_problem(s, bad); !problem.empty()) {
      return fail(problem);
    }
  }
  return pass(std::to_string(count) + " device" + (count == 1 ? "" : "s") + " (" + first_model +
              "); identity strings terminated; short struct_size honoured; indices -1 and " +
              std::to_string(count) + " refused with a reason");
}

} // namespace suanli::conformance
