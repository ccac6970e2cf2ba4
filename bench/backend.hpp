#pragma once

#include <bench/collective_data.hpp>
#include <bench/coordinator.hpp>
#include <bench/problem.hpp>
#include <bench/telemetry.hpp>

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace suanli::bench {

/// Identity and capacity of one device, as its backend reports it.
struct device_info {
  int32_t index = 0;              ///< device index within its backend
  std::string vendor;             ///< e.g. "AMD"
  std::string model;              ///< e.g. "AMD EPYC 9654"
  std::string uuid;               ///< stable identity, empty when unknown
  std::string serial;             ///< board serial, empty when unknown
  std::string pci_bus_id;         ///< PCI address, empty when unknown
  std::string driver_version;     ///< driver or kernel version
  std::string firmware_version;   ///< firmware, VBIOS or microcode
  std::string arch;               ///< architecture or ISA summary
  uint64_t memory_bytes = 0;      ///< memory usable for buffers [bytes]
  uint32_t compute_units = 0;     ///< SMs, AI cores or CPU cores in use
  uint32_t clock_mhz_current = 0; ///< current compute clock [MHz]
  uint32_t clock_mhz_max = 0;     ///< maximum compute clock [MHz]
  bool host_timed = false;        ///< no device timers: timed on the host around a sync
};

/// Kind of path between two devices of one node, nearest first (the ABI's sl_link_kind, 1.4).
enum class link_kind {
  self,             ///< the same device
  scale_up,         ///< a vendor device-to-device fabric (NVLink, HCCS, MLU-Link, ...)
  pcie_switch,      ///< PCIe switches only (nvidia-smi PIX / PXB)
  pcie_host_bridge, ///< through one PCIe host bridge (PHB)
  numa_node,        ///< across host bridges within one NUMA node (NODE)
  system,           ///< across NUMA nodes / sockets (SYS)
  unknown           ///< the backend cannot tell
};

/// The path between devices a and b of one backend, as the backend reports it.
struct device_link {
  int32_t a = 0;                       ///< first device index
  int32_t b = 0;                       ///< second device index
  link_kind kind = link_kind::unknown; ///< best path between them
  uint32_t links = 0;                  ///< scale_up: fabric links between them (e.g. 18)
  double bandwidth_gb_s = 0;           ///< rated, per direction [GB/s = 1e9 B/s]; 0 unknown
  std::string name;                    ///< short label, e.g. "NV18", "PIX", "SYS"
};

/// A peak rate with how it was obtained.
struct peak_rate {
  double flops_per_s = 0; ///< [FLOP/s] (OP/s for integer dtypes)
  std::string source;     ///< formula and inputs (rated) or microkernel description (measured)
};

/// Seeds of the generated input tensors of one case, in input order (GEMM: A, B; attention:
/// Q, K, V).
struct tensor_seeds {
  uint64_t a = 0; ///< first input (GEMM A, attention Q)
  uint64_t b = 0; ///< second input (GEMM B, attention K)
  uint64_t c = 0; ///< third input (attention V)
};

/// A problem made ready on a device: buffers allocated and filled, plan created. Untimed
/// work happens in prepare(); run() is the timed part.
class prepared_case {
public:
  virtual ~prepared_case() = default;
  prepared_case() = default;
  prepared_case(const prepared_case &) = delete;
  prepared_case &operator=(const prepared_case &) = delete;

  /// Run the operation `iterations` times back to back; elapsed device time of all [ns].
  virtual uint64_t run(int64_t iterations) = 0;
  /// Overwrite the output with NaN (or -1 for integers) so that what is verified later must
  /// have been written by the timed calls.
  virtual void poison_output() = 0;
  /// Copy the output (e.g. C) to host memory.
  [[nodiscard]] virtual std::vector<std::byte> read_output() = 0;
  /// Implementation the backend chose (kernel, algorithm).
  [[nodiscard]] virtual std::string implementation() const = 0;
  /// How run() is timed: "device events" or "host clock around stream sync".
  [[nodiscard]] virtual std::string timer() const = 0;
  /// Copies of the operands the calls rotate over (cold mode); 1 when every call reuses one.
  [[nodiscard]] virtual uint32_t buffer_sets() const { return 1; }
};

/// Either a prepared case or the reason the backend does not offer the problem.
struct prepare_result {
  std::unique_ptr<prepared_case> prepared; ///< null when unsupported
  std::string unsupported_reason;          ///< set when prepared is null
};

/// A backend's communicator over all ranks of the run (opaque to the engine).
class communicator {
public:
  virtual ~communicator() = default;
  communicator() = default;
  communicator(const communicator &) = delete;
  communicator &operator=(const communicator &) = delete;
};

/// A collective made ready on one rank: buffers allocated for the problem fitted to the rank
/// count, bound to a communicator. Only run() is timed.
class prepared_collective {
public:
  virtual ~prepared_collective() = default;
  prepared_collective() = default;
  prepared_collective(const prepared_collective &) = delete;
  prepared_collective &operator=(const prepared_collective &) = delete;

  /// Copy a sample's initial buffer images to the device (the send buffer only when
  /// with_send; it is never written by an out-of-place collective).
  virtual void load(const collective_buffers &images, bool with_send) = 0;
  /// Run the collective once; elapsed time on this rank [ns].
  virtual uint64_t run() = 0;
  /// Copy out.size() bytes of the receive buffer, from element `offset`, into host memory the
  /// caller keeps (reused every sample: no allocation between timed calls).
  virtual void read_recv(uint64_t offset, std::span<std::byte> out) = 0;
  /// How run() is timed: "device events" or "host clock around stream sync".
  [[nodiscard]] virtual std::string timer() const = 0;
};

/// A backend as the engine sees it (kernels/host adapts ABI plugins to this).
class backend {
public:
  virtual ~backend() = default;
  backend() = default;
  backend(const backend &) = delete;
  backend &operator=(const backend &) = delete;

  /// Short name, e.g. "cpu".
  [[nodiscard]] virtual std::string name() const = 0;
  /// Plugin version string.
  [[nodiscard]] virtual std::string version() const = 0;
  /// Plugin file and its SHA-256 (lower-case hex).
  [[nodiscard]] virtual std::pair<std::string, std::string> file_identity() const = 0;
  /// Libraries the backend uses and their versions.
  [[nodiscard]] virtual std::map<std::string, std::string> library_versions() const = 0;
  /// Devices present (may be empty).
  [[nodiscard]] virtual std::vector<device_info> devices() const = 0;
  /// Allocate, fill and plan a problem on a device. Throws bench::error on failure.
  [[nodiscard]] virtual prepare_result prepare(const problem &op, int32_t device,
                                               const tensor_seeds &seeds) = 0;
  /// Rated peak for a GEMM input dtype, or the reason there is none.
  [[nodiscard]] virtual std::optional<peak_rate> rated_peak(int32_t device, sl_dtype dtype,
                                                            std::string &reason) = 0;
  /// Measured max-achievable rate from a microkernel, or the reason there is none.
  [[nodiscard]] virtual std::optional<peak_rate> measured_peak(int32_t device, sl_dtype dtype,
                                                               std::string &reason) = 0;
  /// Whether the backend offers collectives at all (reason set when not).
  [[nodiscard]] virtual bool has_collectives(std::string &reason) const = 0;
  /// Join the communicator of all ranks on device: rank 0 creates the backend's unique id and
  /// `ranks` broadcasts it; every rank must call this. Throws bench::error on failure.
  [[nodiscard]] virtual std::unique_ptr<communicator> join(int32_t device, coordinator &ranks) = 0;
  /// Check a collective with the backend and allocate its buffers on this rank; null with the
  /// backend's reason when it does not offer the problem. Throws bench::error on failure.
  [[nodiscard]] virtual std::unique_ptr<prepared_collective>
  prepare_collective(communicator &comm, const collective_problem &p, int32_t device, int32_t rank,
                     int32_t nranks, std::string &reason) = 0;
  /// The device's sensors, or null with the reason when the backend offers none.
  [[nodiscard]] virtual std::unique_ptr<telemetry_source> telemetry(int32_t device,
                                                                    std::string &reason) {
    (void)device;
    reason = name() + " backend offers no telemetry";
    return nullptr;
  }
  /// The path between devices a and b, or nullopt with the reason when the backend cannot
  /// tell (not offered, or an index that does not exist).
  [[nodiscard]] virtual std::optional<device_link> link(int32_t a, int32_t b,
                                                        std::string &reason) const {
    (void)a;
    (void)b;
    reason = name() + " backend offers no device topology";
    return std::nullopt;
  }
};

} // namespace suanli::bench
