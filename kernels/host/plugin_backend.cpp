#include <kernels/host/plugin_backend.hpp>

#include <bench/backend_call.hpp>
#include <bench/error.hpp>
#include <bench/sha256.hpp>
#include <kernels/host/attention_case.hpp>
#include <kernels/host/collective_case.hpp>
#include <kernels/host/gemm_case.hpp>
#include <kernels/host/plugin_text.hpp>

#include <array>
#include <sstream>

namespace suanli::host {
namespace {

std::string inline_string(const char *field, size_t capacity) {
  size_t len = 0;
  while (len < capacity && field[len] != '\0') { // never trust a missing terminator
    ++len;
  }
  return {field, len};
}

} // namespace

plugin_context::plugin_context(plugin_library library, const backend_options &options)
    : library_(std::move(library)) {
  sl_init_options init{};
  init.struct_size = sizeof(init);
  init.threads = options.threads;
  const bench::backend_call call("init");
  const sl_status s = api().init(&init, &ctx_);
  if (s != SL_OK || ctx_ == nullptr) {
    const bench::backend_call why("last_error");
    bench::fail_environment(std::string(api().name) + " backend (" + library_.path().string() +
                            ") failed to initialise: " + sl_status_name(s) + ": " +
                            plugin_reason(api().last_error(nullptr)));
  }
}

plugin_context::~plugin_context() {
  if (ctx_ != nullptr) {
    const bench::backend_call call("finalize");
    api().finalize(ctx_);
  }
}

std::string plugin_context::last_error() const {
  const bench::backend_call call("last_error");
  return plugin_reason(api().last_error(ctx_));
}

void plugin_context::check(sl_status status, const std::string &what) const {
  if (status != SL_OK) {
    bench::fail_environment(std::string(api().name) + " backend: " + what +
                            " failed: " + sl_status_name(status) + ": " + last_error());
  }
}

plugin_backend::plugin_backend(plugin_library library, const backend_options &options)
    : ctx_(std::make_shared<plugin_context>(std::move(library), options)) {}

std::string plugin_backend::name() const {
  return ctx_->api().name;
}

std::string plugin_backend::version() const {
  return ctx_->api().version != nullptr ? ctx_->api().version : "";
}

std::pair<std::string, std::string> plugin_backend::file_identity() const {
  if (sha256_.empty()) {
    sha256_ = bench::sha256_file_hex(ctx_->library().path());
  }
  return {ctx_->library().path().string(), sha256_};
}

std::map<std::string, std::string> plugin_backend::library_versions() const {
  std::map<std::string, std::string> out;
  if (ctx_->api().library_versions == nullptr) {
    return out;
  }
  std::array<char, 4096> buf{};
  const bench::backend_call call("library_versions");
  if (ctx_->api().library_versions(ctx_->get(), buf.data(), buf.size()) != SL_OK) {
    return out;
  }
  std::stringstream list(inline_string(buf.data(), buf.size()));
  std::string item;
  while (std::getline(list, item, ';')) {
    const auto eq = item.find('=');
    if (eq != std::string::npos) {
      out[item.substr(0, eq)] = item.substr(eq + 1);
    }
  }
  return out;
}

std::vector<bench::device_info> plugin_backend::devices() const {
  const auto &api = ctx_->api();
  int32_t count = 0;
  const bench::backend_call call("device_count");
  ctx_->check(api.device_count(ctx_->get(), &count), "device_count");
  std::vector<bench::device_info> out;
  for (int32_t i = 0; i < count; ++i) {
    sl_device_props p{};
    p.struct_size = sizeof(p);
    const std::string where = name() + " backend: device_props(" + std::to_string(i) + ")";
    {
      const bench::backend_call props("device_props");
      ctx_->check(api.device_props(ctx_->get(), i, &p), "device_props(" + std::to_string(i) + ")");
    }
    bench::device_info d;
    d.index = i;
    d.vendor = plugin_field(p.vendor, where, "vendor");
    d.model = plugin_field(p.model, where, "model");
    d.uuid = plugin_field(p.uuid, where, "uuid");
    d.serial = plugin_field(p.serial, where, "serial");
    d.pci_bus_id = plugin_field(p.pci_bus_id, where, "pci_bus_id");
    d.driver_version = plugin_field(p.driver_version, where, "driver_version");
    d.firmware_version = plugin_field(p.firmware_version, where, "firmware_version");
    d.arch = plugin_field(p.arch, where, "arch");
    d.memory_bytes = p.memory_bytes;
    d.compute_units = p.compute_units;
    d.clock_mhz_current = p.clock_mhz_current;
    d.clock_mhz_max = p.clock_mhz_max;
    d.host_timed = (p.flags & SL_DEVICE_HOST_TIMED) != 0 || api.event_create == nullptr ||
                   api.event_record == nullptr || api.event_elapsed_ns == nullptr;
    out.push_back(std::move(d));
  }
  return out;
}

bench::prepare_result plugin_backend::prepare(const bench::problem &op, int32_t device,
                                              const bench::tensor_seeds &seeds) {
  const auto devs = devices();
  if (device < 0 || device >= static_cast<int32_t>(devs.size())) {
    bench::fail_input(name() + " backend has no device " + std::to_string(device) + " (it has " +
                      std::to_string(devs.size()) + ")");
  }
  const auto &dev = devs[static_cast<size_t>(device)];
  if (const auto *g = std::get_if<bench::gemm_problem>(&op)) {
    return prepare_gemm(ctx_, *g, dev, seeds);
  }
  if (const auto *a = std::get_if<bench::attention_problem>(&op)) {
    return prepare_attention(ctx_, *a, dev, seeds);
  }
  bench::fail_environment("internal: a collective problem is prepared with prepare_collective");
}

bool plugin_backend::has_collectives(std::string &reason) const {
  return plugin_has_collectives(ctx_->library(), reason);
}

std::unique_ptr<bench::communicator> plugin_backend::join(int32_t device,
                                                          bench::coordinator &ranks) {
  return join_plugin_communicator(ctx_, device, ranks);
}

std::unique_ptr<bench::prepared_collective>
plugin_backend::prepare_collective(bench::communicator &comm, const bench::collective_problem &p,
                                   int32_t device, int32_t rank, int32_t nranks,
                                   std::string &reason) {
  const auto devs = devices();
  if (device < 0 || device >= static_cast<int32_t>(devs.size())) {
    bench::fail_input(name() + " backend has no device " + std::to_string(device));
  }
  return prepare_plugin_collective(ctx_, comm, p, devs[static_cast<size_t>(device)], rank, nranks,
                                   reason);
}

std::optional<bench::peak_rate> plugin_backend::peak(peak_fn fn, const char *what, int32_t device,
                                                     sl_dtype dtype, std::string &reason) const {
  if (fn == nullptr) {
    reason = name() + " backend offers no " + what;
    return std::nullopt;
  }
  bench::peak_rate r;
  std::array<char, 1024> text{};
  const bench::backend_call call(fn == ctx_->api().rated_peak ? "rated_peak" : "measure_peak");
  const sl_status s = fn(ctx_->get(), device, dtype, &r.flops_per_s, text.data(), text.size());
  if (s != SL_OK) {
    reason = std::string(sl_status_name(s)) + ": " + ctx_->last_error();
    return std::nullopt;
  }
  r.source = inline_string(text.data(), text.size());
  return r;
}

std::optional<bench::peak_rate> plugin_backend::rated_peak(int32_t device, sl_dtype dtype,
                                                           std::string &reason) {
  return peak(ctx_->api().rated_peak, "rated peak", device, dtype, reason);
}

std::optional<bench::peak_rate> plugin_backend::measured_peak(int32_t device, sl_dtype dtype,
                                                              std::string &reason) {
  return peak(ctx_->api().measure_peak, "peak microkernel", device, dtype, reason);
}

} // namespace suanli::host
