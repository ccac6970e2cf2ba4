/* example_device.c: device enumeration and properties of the simulated accelerator. */
#include "example.h"

#include <stdio.h>
#include <string.h>

/* Deterministic identity of simulated device `device`: a UUID-shaped string built from a fixed
 * seed, so the same device reads the same on every run (a real UUID is stable too). The
 * "EXAMPLE-" prefix keeps it from ever looking like a real board. */
static void simulated_uuid(int32_t device, char *out, size_t out_size) {
  const uint64_t hi = sl_mix64(UINT64_C(0x5375616e6c694558) + (uint64_t)device); /* "SuanliEX" */
  const uint64_t lo = sl_mix64(hi ^ UINT64_C(0x6578616d706c6521));               /* "example!" */
  snprintf(out, out_size, "EXAMPLE-%08x-%04x-%04x-%04x-%012llx", (unsigned)(hi >> 32),
           (unsigned)(hi >> 16) & 0xffffu, (unsigned)hi & 0xffffu, (unsigned)(lo >> 48),
           (unsigned long long)(lo & UINT64_C(0xffffffffffff)));
}

sl_status ex_device_count(sl_context *ctx, int32_t *count) {
  if (ex_need_context(ctx, "device_count") != SL_OK) {
    return SL_INVALID_ARGUMENT;
  }
  if (count == NULL) {
    return ex_fail(ctx, SL_INVALID_ARGUMENT, "device_count: count output pointer is NULL");
  }
  /* VENDOR: aclrtGetDeviceCount (Ascend; on Atlas A3 each die of a 910C is its own device),
   * cnrtGetDeviceCount (Cambricon), xpu_device_count (Kunlun), hipGetDeviceCount (Hygon),
   * musaGetDeviceCount (Moore Threads), mcGetDeviceCount (MetaX). No device at all is 0 with
   * SL_OK, not an error: the host then lists the backend as "no device present". */
  *count = EX_DEVICE_COUNT;
  return SL_OK;
}

sl_status ex_device_props(sl_context *ctx, int32_t device, sl_device_props *props) {
  if (ex_check_device(ctx, device, "device_props") != SL_OK) {
    return SL_INVALID_ARGUMENT;
  }
  if (props == NULL || props->struct_size < 2 * sizeof(uint32_t)) {
    return ex_fail(ctx, SL_INVALID_ARGUMENT,
                   "device_props: props is NULL or its struct_size is below 8 bytes");
  }
  sl_device_props full;
  memset(&full, 0, sizeof full);
  /* Flags: neither SL_DEVICE_HOST_TIMED (the plugin has device timers: its events) nor
   * SL_DEVICE_HOST_ADDRESSABLE (the host must reach device memory through memcpy_h2d/d2h,
   * exactly as with a real accelerator). */
  full.flags = 0;
  /* VENDOR: fill these from the runtime. Unknown strings stay empty and unknown numbers 0;
   * never invent a value (reports and audits compare identities across machines).
   *   Ascend:    aclrtGetSocName (model), aclrtGetMemInfo(ACL_HBM_MEM, &free, &total),
   *              aclGetDeviceCapability(dev, ACL_DEVICE_INFO_AI_CORE_NUM, &n), npu-smi's
   *              board serial, aclsysGetVersionStr (driver/firmware).
   *   Cambricon: cnrtGetDeviceProperties, cnrtDeviceGetAttribute (cores, clocks, PCI id).
   *   Kunlun:    xpu_get_driver_version, xpu_device_get_attr.
   *   Hygon / Moore Threads / MetaX: hipGetDeviceProperties / musaGetDeviceProperties /
   *              mcGetDeviceProperties (name, uuid, pciBusID, totalGlobalMem,
   *              multiProcessorCount, clockRate), plus the vendor's SMI library for serial,
   *              firmware and the current clock. */
  snprintf(full.vendor, sizeof full.vendor, "%s", "Suanli");
  snprintf(full.model, sizeof full.model, "%s", "example simulated accelerator");
  simulated_uuid(device, full.uuid, sizeof full.uuid);
  snprintf(full.serial, sizeof full.serial, "EXAMPLE-SIM-%04d", (int)device);
  /* pci_bus_id stays empty: the simulated device sits on no bus. */
  snprintf(full.driver_version, sizeof full.driver_version, "example-simulator %s",
           "1.0 (host memory, in-order queues)");
  snprintf(full.firmware_version, sizeof full.firmware_version, "%s", "none (simulated)");
  snprintf(full.arch, sizeof full.arch, "%s", "example-sim (C11 loops on the host thread)");
  full.memory_bytes = EX_MEMORY_BYTES;
  full.compute_units = 1;     /* the calling host thread runs every command */
  full.clock_mhz_current = 0; /* unknown: a simulation has no clock of its own */
  full.clock_mhz_max = 0;
  /* Copy only what the caller's struct holds (an older host has a smaller struct); its
   * struct_size then says how much was filled. */
  const size_t bytes = props->struct_size < sizeof full ? props->struct_size : sizeof full;
  full.struct_size = (uint32_t)bytes;
  memcpy(props, &full, bytes);
  return SL_OK;
}

#if SL_ABI_MINOR >= 3 /* telemetry arrived with ABI 1.3; the plugin still builds against 1.2 */
sl_status ex_telemetry_read(sl_context *ctx, int32_t device, sl_telemetry *out) {
  /* The one call the host makes from another thread (a sampler) while the context is in use:
   * it must be thread-safe and must not touch ctx->error; reasons go to out->note. It reads
   * nothing of ctx but its address, so nothing here races with the thread using the context. */
  if (out == NULL || out->struct_size < offsetof(sl_telemetry, note) + sizeof out->note) {
    return SL_INVALID_ARGUMENT; /* no room for a reason: the host broke the struct_size rule */
  }
  const uint32_t size = out->struct_size;
  memset(out, 0, size < sizeof *out ? size : sizeof *out);
  out->struct_size = size;
  if (ctx == NULL || device < 0 || device >= EX_DEVICE_COUNT) {
    snprintf(out->note, sizeof out->note, "telemetry_read: %s",
             ctx == NULL ? "context is NULL" : "no such device");
    return SL_INVALID_ARGUMENT;
  }
  /* VENDOR: read clocks, power, temperature, an energy counter and throttle reasons, e.g.
   * dsmi_get_device_frequency / dsmi_get_device_power_info / dsmi_get_device_temperature
   * (Ascend DSMI, what npu-smi shows), cndevGetClock / cndevGetPowerInfo /
   * cndevGetTemperatureInfo (Cambricon CNDev, what cnmon shows), rocm_smi / hy-smi's library
   * (Hygon), the MetaX and Moore Threads management libraries (mx-smi, mthreads-gmi). Set a
   * `valid` bit for each field read; say in note why the others are missing. Never invent a
   * reading: efficiency and throttling reports are built from them. */
  snprintf(out->note, sizeof out->note, "%s",
           "the example device is a simulation: it has no clock, power or temperature sensors");
  return SL_UNSUPPORTED;
}
#endif

#if SL_ABI_MINOR >= 4 /* device links arrived with ABI 1.4; the plugin still builds against 1.3 */
sl_status ex_device_link(sl_context *ctx, int32_t a, int32_t b, sl_device_link *out) {
  if (ex_check_device(ctx, a, "device_link") != SL_OK ||
      ex_check_device(ctx, b, "device_link") != SL_OK) {
    return SL_INVALID_ARGUMENT; /* the reason names the index that does not exist */
  }
  if (out == NULL || out->struct_size < sizeof(sl_device_link)) {
    return ex_fail(ctx, SL_INVALID_ARGUMENT,
                   "device_link: out is NULL or its struct_size is below %zu bytes",
                   sizeof(sl_device_link));
  }
  sl_device_link full;
  memset(&full, 0, sizeof full);
  full.struct_size = (uint32_t)sizeof full;
  if (a == b) {
    full.kind = SL_LINK_SELF;
    snprintf(full.name, sizeof full.name, "%s", "X");
    memcpy(out, &full, sizeof full);
    return SL_OK;
  }
  /* VENDOR: the path between two devices, the same answer for (a, b) and (b, a). The fabric
   * first (SL_LINK_SCALE_UP with the link count and the rated per-direction bandwidth), else
   * the PCIe path (PIX/PXB, PHB, NODE, SYS as nvidia-smi topo -m names them):
   *   Ascend:    dcmi_get_topo_info_by_device_id(card1, dev1, card2, dev2, &topo_type) (what
   *              npu-smi info -t topo shows: HCCS, PIX, PXB, PHB, SYS, SIO),
   *              dcmi_get_hccs_link_bandwidth_info for HCCS.
   *   Hygon:     rsmi_topo_get_link_type(src, dst, &hops, &type) (XGMI or PCIe),
   *              rsmi_minmax_bandwidth_get for XGMI (ROCm SMI, as hy-smi).
   *   Cambricon, Kunlun, MetaX, Moore Threads: the management library's topology call
   *              (MLU-Link, XPU-Link, MetaXLink, MTLink); not in the notes, check the SDK.
   * Unknown fields stay 0 or empty; a pair the library cannot place is SL_LINK_UNKNOWN.
   * Unreachable while EX_DEVICE_COUNT is 1. */
  full.kind = SL_LINK_UNKNOWN;
  memcpy(out, &full, sizeof full);
  return SL_OK;
}
#endif
