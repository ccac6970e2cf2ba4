// plugin_backend::link: the plugin's device_link (ABI 1.4) as a bench::device_link.

#include <kernels/host/plugin_backend.hpp>

#include <cmath>
#include <cstddef>

namespace suanli::host {
namespace {

// The ABI's kind as the bench's; a value newer than this host knows is unknown.
bench::link_kind kind_of(int32_t kind) {
  switch (kind) {
  case SL_LINK_SELF: return bench::link_kind::self;
  case SL_LINK_SCALE_UP: return bench::link_kind::scale_up;
  case SL_LINK_PCIE_SWITCH: return bench::link_kind::pcie_switch;
  case SL_LINK_PCIE_HOST_BRIDGE: return bench::link_kind::pcie_host_bridge;
  case SL_LINK_NUMA_NODE: return bench::link_kind::numa_node;
  case SL_LINK_SYSTEM: return bench::link_kind::system;
  default: return bench::link_kind::unknown;
  }
}

} // namespace

std::optional<bench::device_link> plugin_backend::link(int32_t a, int32_t b,
                                                       std::string &reason) const {
  const auto &lib = ctx_->library();
  if (!lib.has_field(offsetof(sl_backend_api, device_link), sizeof(void *)) ||
      lib.api().device_link == nullptr) {
    reason = name() + " backend (ABI " + std::to_string(lib.api().abi_major) + "." +
             std::to_string(lib.api().abi_minor) + ") offers no device topology";
    return std::nullopt;
  }
  sl_device_link out{};
  out.struct_size = sizeof out;
  const sl_status s = lib.api().device_link(ctx_->get(), a, b, &out);
  if (s != SL_OK) {
    reason = "device_link(" + std::to_string(a) + ", " + std::to_string(b) +
             "): " + sl_status_name(s) + ": " + ctx_->last_error();
    return std::nullopt;
  }
  out.name[sizeof out.name - 1] = '\0'; // a plugin may fill the array to the end
  bench::device_link d;
  d.a = a;
  d.b = b;
  d.kind = kind_of(static_cast<int32_t>(out.kind));
  d.links = out.links;
  d.bandwidth_gb_s =
      std::isfinite(out.bandwidth_gb_s) && out.bandwidth_gb_s > 0 ? out.bandwidth_gb_s : 0.0;
  d.name = out.name;
  return d;
}

} // namespace suanli::host
