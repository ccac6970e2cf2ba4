// plugin_backend::telemetry: the plugin's telemetry_read (ABI 1.3) as a bench::telemetry_source.

#include <kernels/host/plugin_backend.hpp>

#include <cstddef>

namespace suanli::host {
namespace {

class plugin_telemetry final : public bench::telemetry_source {
public:
  plugin_telemetry(std::shared_ptr<plugin_context> ctx, int32_t device)
      : ctx_(std::move(ctx)), device_(device) {}

  bool read(bench::telemetry_reading &r, std::string &why) override {
    sl_telemetry t{};
    t.struct_size = sizeof t;
    const sl_status s = ctx_->api().telemetry_read(ctx_->get(), device_, &t);
    t.note[sizeof t.note - 1] = '\0'; // a plugin may fill the array to the end
    why = t.note;
    if (s != SL_OK) {
      why = std::string("telemetry_read: ") + sl_status_name(s) + (why.empty() ? "" : ": ") + why;
      return false;
    }
    if ((t.valid & SL_TELEMETRY_CLOCK) != 0) {
      r.clock_mhz = t.clock_mhz;
    }
    if ((t.valid & SL_TELEMETRY_MEM_CLOCK) != 0) {
      r.mem_clock_mhz = t.mem_clock_mhz;
    }
    if ((t.valid & SL_TELEMETRY_POWER) != 0) {
      r.power_w = t.power_w;
    }
    if ((t.valid & SL_TELEMETRY_TEMPERATURE) != 0) {
      r.temperature_c = t.temperature_c;
    }
    if ((t.valid & SL_TELEMETRY_ENERGY) != 0) {
      r.energy_j = t.energy_j;
    }
    if ((t.valid & SL_TELEMETRY_THROTTLE) != 0) {
      r.throttle_bits = t.throttle;
    }
    return t.valid != 0;
  }

private:
  std::shared_ptr<plugin_context> ctx_;
  int32_t device_;
};

} // namespace

std::unique_ptr<bench::telemetry_source> plugin_backend::telemetry(int32_t device,
                                                                   std::string &reason) {
  const auto &lib = ctx_->library();
  if (!lib.has_field(offsetof(sl_backend_api, telemetry_read), sizeof(void *)) ||
      lib.api().telemetry_read == nullptr) {
    reason = name() + " backend (ABI " + std::to_string(lib.api().abi_major) + "." +
             std::to_string(lib.api().abi_minor) + ") offers no telemetry";
    return nullptr;
  }
  // One probe now, so a device without readable sensors is known before the case starts.
  auto source = std::make_unique<plugin_telemetry>(ctx_, device);
  bench::telemetry_reading probe;
  if (!source->read(probe, reason)) {
    return nullptr;
  }
  reason.clear();
  return source;
}

} // namespace suanli::host
