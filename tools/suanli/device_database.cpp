#include "device_database.hpp"

#include <bench/dtype.hpp>
#include <bench/text.hpp>
#include <devices/match.hpp>
#include <reports/text_table.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <memory>

namespace suanli::tools {
namespace {

// Columns of the listing, in order; the first key an entry has fills the cell.
struct peak_column {
  const char *title;
  std::array<devices::peak_key, 2> keys; // the second may repeat the first
};
constexpr std::array<peak_column, 7> k_columns{{
    {"fp64", {devices::peak_key::fp64_tensor, devices::peak_key::fp64}},
    {"fp32", {devices::peak_key::fp32_tensor, devices::peak_key::fp32}},
    {"tf32", {devices::peak_key::tf32, devices::peak_key::tf32}},
    {"fp16", {devices::peak_key::fp16, devices::peak_key::fp16}},
    {"bf16", {devices::peak_key::bf16, devices::peak_key::bf16}},
    {"fp8", {devices::peak_key::fp8, devices::peak_key::fp8_e4m3}},
    {"int8 TOPS", {devices::peak_key::int8, devices::peak_key::int8}},
}};

std::string peak_cell(const devices::device_entry &e, const peak_column &c) {
  for (const auto key : c.keys) {
    if (const auto p = e.rated(key)) {
      return bench::significant(p->tflops, 4);
    }
  }
  for (const auto key : c.keys) {
    const std::string field(devices::name(key));
    if (e.is_not_published(field)) {
      return "n/p";
    }
    for (const auto u : e.unsupported) {
      if (u == key) {
        return "-";
      }
    }
  }
  return "";
}

std::string figure_cell(const std::optional<devices::figure> &f, const devices::device_entry &e,
                        const char *field) {
  if (f) {
    return bench::significant(f->value, 4);
  }
  return e.is_not_published(field) ? "n/p" : "";
}

// "vvvv:dddd" of the PCI function at bus_id ("0000:17:00.0", or CUDA's 8-digit domain form)
// from sysfs; empty when the device has no PCI address or sysfs does not know it.
std::string sysfs_pci_id(std::string bus) {
  if (bus.empty()) {
    return {};
  }
  std::transform(bus.begin(), bus.end(), bus.begin(),
                 [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
  if (const auto colon = bus.find(':'); colon > 4 && colon != std::string::npos) {
    bus = bus.substr(colon - 4); // sysfs spells the domain with 4 digits
  }
  const std::filesystem::path dir = std::filesystem::path("/sys/bus/pci/devices") / bus;
  const auto read_hex = [&](const char *file) {
    std::ifstream in(dir / file);
    std::string v;
    in >> v;
    return v.rfind("0x", 0) == 0 ? v.substr(2) : v;
  };
  const std::string vendor = read_hex("vendor");
  const std::string device = read_hex("device");
  return vendor.empty() || device.empty() ? std::string() : vendor + ":" + device;
}

// The device's entry: by the name its runtime reports, else by the PCI id of its bus address.
devices::match_result find_entry(const devices::database &db, const bench::device_info &device) {
  auto by_name = devices::match(db, device.vendor, device.model);
  if (by_name) {
    return by_name;
  }
  const std::string pci = sysfs_pci_id(device.pci_bus_id);
  if (pci.empty()) {
    return by_name;
  }
  auto by_pci = devices::match_pci(db, pci);
  if (!by_pci) {
    by_pci.reason = by_name.reason + "; and by PCI id " + pci + ": " + by_pci.reason;
  }
  return by_pci;
}

} // namespace

devices::database open_device_database(const std::string &path) {
  return devices::load(path.empty() ? devices::default_path() : std::filesystem::path(path));
}

std::function<std::optional<bench::peak_rate>(sl_dtype, std::string &)>
database_peaks(std::shared_ptr<const devices::database> db, const bench::device_info &device) {
  return [db = std::move(db), vendor = device.vendor, model = device.model](sl_dtype dtype,
                                                                            std::string &reason) {
    const auto m = devices::match(*db, vendor, model);
    if (!m) {
      reason = m.reason;
      return std::optional<bench::peak_rate>{};
    }
    const auto rated = m.entry->rated(dtype);
    if (!rated) {
      reason = "device database entry " + m.entry->id + " (" + m.entry->origin +
               "): " + std::string(devices::name(m.entry->status(dtype))) + " for " +
               std::string(bench::name(dtype));
      return std::optional<bench::peak_rate>{};
    }
    bench::peak_rate r;
    r.flops_per_s = rated->tflops * 1e12;
    r.source = "device database entry " + m.entry->id + ", " +
               std::string(devices::name(rated->key)) + " dense " +
               bench::significant(rated->tflops, 6) + " " + std::string(rated->unit()) + " (" +
               rated->origin + "); source: " + rated->from.ref + " [" +
               std::string(devices::name(rated->trust)) + "]" +
               (rated->note.empty() ? "" : "; " + rated->note);
    return std::optional<bench::peak_rate>{r};
  };
}

std::string describe_match(const devices::database &db, const bench::device_info &device) {
  const auto m = find_entry(db, device);
  return m ? m.entry->id + " (" + m.entry->origin + ")" : "no entry: " + m.reason;
}

void print_device_database(std::ostream &out, const devices::database &db) {
  std::vector<std::string> head{"id", "model", "memory GiB", "HBM GB/s", "link GB/s"};
  for (const auto &c : k_columns) {
    head.emplace_back(c.title);
  }
  reports::text_table t(head, {1});
  for (const auto &e : db.entries) {
    std::vector<std::string> row{e.id, e.model, figure_cell(e.memory_gib, e, "memory_gib"),
                                 figure_cell(e.memory_bandwidth_gbps, e, "memory_bandwidth_gbps"),
                                 e.link && e.link->gbps > 0 ? bench::significant(e.link->gbps, 4)
                                                            : ""};
    for (const auto &c : k_columns) {
      row.push_back(peak_cell(e, c));
    }
    t.add_row(row);
  }
  out << t.render() << db.entries.size() << " devices from " << db.files.size()
      << " files. Dense rated peaks [TFLOP/s; int8: TOPS], per device as its runtime "
         "enumerates it; n/p = not published (no source found), - = no such unit, blank = no "
         "source gives it. Every figure's source and confidence: the files themselves.\n";
}

} // namespace suanli::tools
