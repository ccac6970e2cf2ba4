// NVML loaded at run time. The few declarations below follow nvml.h (NVML API v2 names); the
// header itself is not needed to build.

#include <kernels/cuda/nvml.hpp>

#include <dlfcn.h>

namespace suanli::cuda {

namespace {

using nvml_return = int;                         // nvmlReturn_t; 0 = NVML_SUCCESS
using nvml_device = struct opaque_nvml_device *; // nvmlDevice_t
constexpr int k_clock_sm = 1;                    // NVML_CLOCK_SM
constexpr int k_clock_mem = 2;                   // NVML_CLOCK_MEM
constexpr int k_temperature_gpu = 0;             // NVML_TEMPERATURE_GPU
constexpr unsigned k_text = 96; // >= NVML_DEVICE_SERIAL_BUFFER_SIZE, VBIOS and version sizes

// nvmlPciInfo_t (nvml.h): legacy id at 0, domain 16, bus 20, device 24, ids, busId at 36.
struct nvml_pci_info {
  char bus_id_legacy[16];
  unsigned domain, bus, device, pci_device_id, pci_subsystem_id;
  char bus_id[32];
};
static_assert(sizeof(nvml_pci_info) == 68, "nvmlPciInfo_t layout");

template <class Fn> Fn symbol(void *handle, const char *name) {
  return handle != nullptr ? reinterpret_cast<Fn>(dlsym(handle, name)) : nullptr;
}

// A string query fn(args..., buf, size); empty when it fails or is missing.
template <class... Args> std::string text_query(void *handle, const char *name, Args... args) {
  using fn_t = nvml_return (*)(Args..., char *, unsigned);
  const auto fn = symbol<fn_t>(handle, name);
  char buf[k_text] = {};
  if (fn == nullptr || fn(args..., buf, k_text) != 0) {
    return {};
  }
  buf[k_text - 1] = '\0';
  return buf;
}

} // namespace

nvml::nvml() {
  void *lib = dlopen("libnvidia-ml.so.1", RTLD_NOW | RTLD_LOCAL);
  if (lib == nullptr) {
    const char *why = dlerror();
    note_ = std::string("NVML not loaded: ") + (why != nullptr ? why : "dlopen failed");
    return;
  }
  const auto init = symbol<nvml_return (*)()>(lib, "nvmlInit_v2");
  const nvml_return rc = init != nullptr ? init() : -1;
  if (rc != 0) {
    note_ = "NVML not initialised: nvmlInit_v2 returned " + std::to_string(rc);
    dlclose(lib);
    return;
  }
  handle_ = lib;
}

nvml::~nvml() {
  if (handle_ != nullptr) {
    if (const auto shutdown = symbol<nvml_return (*)()>(handle_, "nvmlShutdown")) {
      shutdown();
    }
    dlclose(handle_);
  }
}

std::string nvml::driver_version() const {
  return text_query(handle_, "nvmlSystemGetDriverVersion");
}

std::string nvml::library_version() const {
  return text_query(handle_, "nvmlSystemGetNVMLVersion");
}

nvml_device_info nvml::device(const std::string &uuid) const {
  nvml_device_info out;
  const auto by_uuid =
      symbol<nvml_return (*)(const char *, nvml_device *)>(handle_, "nvmlDeviceGetHandleByUUID");
  nvml_device dev = nullptr;
  if (by_uuid == nullptr || by_uuid(uuid.c_str(), &dev) != 0) {
    return out;
  }
  out.serial = text_query(handle_, "nvmlDeviceGetSerial", dev);
  out.vbios = text_query(handle_, "nvmlDeviceGetVbiosVersion", dev);
  using clock_fn = nvml_return (*)(nvml_device, int, unsigned *);
  unsigned value = 0;
  if (const auto f = symbol<clock_fn>(handle_, "nvmlDeviceGetClockInfo");
      f != nullptr && f(dev, k_clock_sm, &value) == 0) {
    out.sm_clock_mhz = value;
  }
  if (const auto f = symbol<clock_fn>(handle_, "nvmlDeviceGetMaxClockInfo");
      f != nullptr && f(dev, k_clock_sm, &value) == 0) {
    out.sm_clock_max_mhz = value;
  }
  using ecc_fn = nvml_return (*)(nvml_device, int *, int *);
  int current = 0, pending = 0;
  if (const auto f = symbol<ecc_fn>(handle_, "nvmlDeviceGetEccMode");
      f != nullptr && f(dev, &current, &pending) == 0) {
    out.ecc_enabled = current != 0 ? 1 : 0;
  }
  using power_fn = nvml_return (*)(nvml_device, unsigned *);
  if (const auto f = symbol<power_fn>(handle_, "nvmlDeviceGetEnforcedPowerLimit");
      f != nullptr && f(dev, &value) == 0) {
    out.power_limit_mw = value;
  }
  return out;
}

nvml_reading nvml::read(const std::string &pci_bus_id) const {
  nvml_reading out;
  if (handle_ == nullptr) {
    out.note = note_;
    return out;
  }
  const auto by_pci = symbol<nvml_return (*)(const char *, nvml_device *)>(
      handle_, "nvmlDeviceGetHandleByPciBusId_v2");
  nvml_device dev = nullptr;
  if (by_pci == nullptr || by_pci(pci_bus_id.c_str(), &dev) != 0) {
    out.note = "NVML does not know the device at PCI " + pci_bus_id;
    return out;
  }
  using clock_fn = nvml_return (*)(nvml_device, int, unsigned *);
  unsigned value = 0;
  const auto clock = symbol<clock_fn>(handle_, "nvmlDeviceGetClockInfo");
  if (clock != nullptr && clock(dev, k_clock_sm, &value) == 0) {
    out.sm_clock_mhz = value;
  }
  if (clock != nullptr && clock(dev, k_clock_mem, &value) == 0) {
    out.mem_clock_mhz = value;
  }
  using unsigned_fn = nvml_return (*)(nvml_device, unsigned *);
  if (const auto f = symbol<unsigned_fn>(handle_, "nvmlDeviceGetPowerUsage");
      f != nullptr && f(dev, &value) == 0) {
    out.power_w = value * 1e-3; // mW
  }
  using temperature_fn = nvml_return (*)(nvml_device, int, unsigned *);
  if (const auto f = symbol<temperature_fn>(handle_, "nvmlDeviceGetTemperature");
      f != nullptr && f(dev, k_temperature_gpu, &value) == 0) {
    out.temperature_c = value;
  }
  using u64_fn = nvml_return (*)(nvml_device, unsigned long long *);
  unsigned long long wide = 0;
  if (const auto f = symbol<u64_fn>(handle_, "nvmlDeviceGetTotalEnergyConsumption");
      f != nullptr && f(dev, &wide) == 0) {
    out.energy_j = static_cast<double>(wide) * 1e-3; // mJ
  }
  auto events = symbol<u64_fn>(handle_, "nvmlDeviceGetCurrentClocksEventReasons");
  if (events == nullptr) { // drivers before 535 have only the older name
    events = symbol<u64_fn>(handle_, "nvmlDeviceGetCurrentClocksThrottleReasons");
  }
  if (events != nullptr && events(dev, &wide) == 0) {
    out.clock_events = wide;
  }
  return out;
}

namespace {

// The handle of the device at a PCI bus id, or NULL with why.
nvml_device device_at(void *handle, const std::string &note, const std::string &bus,
                      std::string &why) {
  if (handle == nullptr) {
    why = note;
    return nullptr;
  }
  const auto by_pci = symbol<nvml_return (*)(const char *, nvml_device *)>(
      handle, "nvmlDeviceGetHandleByPciBusId_v2");
  nvml_device dev = nullptr;
  if (by_pci == nullptr || by_pci(bus.c_str(), &dev) != 0) {
    why = "NVML does not know the device at PCI " + bus;
    return nullptr;
  }
  return dev;
}

} // namespace

std::optional<gpu_nvlinks> nvml::nvlinks(const std::string &pci_bus_id, std::string &why) const {
  nvml_device dev = device_at(handle_, note_, pci_bus_id, why);
  if (dev == nullptr) {
    return std::nullopt;
  }
  gpu_nvlinks out;
  out.bus_id = pci_bus_id;
  using uint_fn = nvml_return (*)(nvml_device, unsigned, unsigned *);
  using int_fn = nvml_return (*)(nvml_device, unsigned, int *);
  using pci_fn = nvml_return (*)(nvml_device, unsigned, nvml_pci_info *);
  const auto state = symbol<int_fn>(handle_, "nvmlDeviceGetNvLinkState");
  const auto remote_type = symbol<int_fn>(handle_, "nvmlDeviceGetNvLinkRemoteDeviceType");
  const auto remote_pci = symbol<pci_fn>(handle_, "nvmlDeviceGetNvLinkRemotePciInfo_v2");
  const auto version = symbol<uint_fn>(handle_, "nvmlDeviceGetNvLinkVersion");
  if (state == nullptr) {
    return out; // an NVML without NVLink queries: no link known
  }
  for (unsigned link = 0; link < k_nvml_nvlink_max_links; ++link) {
    int active = 0;
    if (state(dev, link, &active) != 0 || active != 1) { // NVML_FEATURE_ENABLED
      continue; // NVML_ERROR_NOT_SUPPORTED on a GPU without NVLink, INVALID_ARGUMENT past its last
    }
    nvlink_end end;
    int type = nvml_remote_not_asked;
    if (remote_type != nullptr && remote_type(dev, link, &type) == 0) {
      end.remote_type = type;
    }
    nvml_pci_info pci{};
    if (remote_pci != nullptr && remote_pci(dev, link, &pci) == 0) {
      pci.bus_id[sizeof pci.bus_id - 1] = '\0';
      end.remote_bus_id = pci.bus_id;
    }
    unsigned v = 0;
    if (version != nullptr && version(dev, link, &v) == 0) {
      end.version = v;
    }
    out.active.push_back(std::move(end));
  }
  return out;
}

std::optional<int> nvml::common_ancestor(const std::string &bus_a, const std::string &bus_b,
                                         std::string &why) const {
  nvml_device a = device_at(handle_, note_, bus_a, why);
  nvml_device b = a != nullptr ? device_at(handle_, note_, bus_b, why) : nullptr;
  if (b == nullptr) {
    return std::nullopt;
  }
  using ancestor_fn = nvml_return (*)(nvml_device, nvml_device, int *);
  const auto f = symbol<ancestor_fn>(handle_, "nvmlDeviceGetTopologyCommonAncestor");
  int level = -1;
  if (f == nullptr) {
    why = "NVML has no nvmlDeviceGetTopologyCommonAncestor";
    return std::nullopt;
  }
  if (const nvml_return rc = f(a, b, &level); rc != 0) {
    why = "nvmlDeviceGetTopologyCommonAncestor returned " + std::to_string(rc);
    return std::nullopt;
  }
  return level;
}

} // namespace suanli::cuda
