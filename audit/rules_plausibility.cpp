// Rules on physical plausibility against the device database: delivered rate above the rated
// peak, collective bandwidth above the link, impossible clocks.

#include <audit/rules.hpp>

#include <bench/dtype.hpp>
#include <devices/match.hpp>
#include <devices/peak_key.hpp>

namespace suanli::audit {
namespace {

using nlohmann::json;

// The database entry of a case's device; nullptr when there is no database or no match.
const devices::device_entry *entry_of(const report_input &in, const case_view &v) {
  if (!in.options.database) {
    return nullptr;
  }
  const json *device = case_device(v);
  if (device == nullptr) {
    return nullptr;
  }
  const auto m = devices::match(*in.options.database, device->value("vendor", std::string()),
                                device->value("model", std::string()));
  return m.entry;
}

// The rated peak [GFLOP/s] of a case's input dtype on an entry; 0 when the entry has none.
double rated_gflops(const devices::device_entry &e, const json &c) {
  const auto &p = c.at("parameters");
  const auto type = p.value("a_type", p.value("qkv_type", std::string()));
  const auto dtype = bench::parse_dtype(type);
  if (!dtype) {
    return 0;
  }
  for (const auto key : devices::peak_keys_for(*dtype)) {
    if (const auto it = e.peaks.find(key); it != e.peaks.end()) {
      return it->second.tflops * 1e3;
    }
  }
  return 0;
}

// Calls fn(value, label) for every clock figure of a device entry of the report.
void each_device(const json &holder, const std::string &prefix,
                 const std::function<void(const json &, const std::string &)> &fn) {
  const auto backends = holder.find("backends");
  if (backends == holder.end() || !backends->is_array()) {
    return;
  }
  for (const auto &b : *backends) {
    const auto devices = b.find("devices");
    if (devices == b.end() || !devices->is_array()) {
      continue;
    }
    for (const auto &d : *devices) {
      fn(d, prefix + "device " + std::to_string(d.value("index", -1)) + " (" +
                b.value("name", std::string()) + ")");
    }
  }
}

} // namespace

void check_above_rated_peak(const report_input &in, reporter &out) {
  for_each_case(in, [&](const case_view &v) {
    const json &c = *v.c;
    const std::string &where = v.where;
    const auto mit = c.find("metrics");
    if (mit == c.end() || !mit->is_object() || !mit->contains("gflops_median")) {
      return;
    }
    const json &m = *mit;
    const auto *e = entry_of(in, v);
    if (e == nullptr) {
      return;
    }
    const double rated = rated_gflops(*e, c);
    const double delivered = m["gflops_median"].get<double>();
    if (rated > 0 && delivered > rated) {
      out.add(where, "delivered rate above the rated peak of " + e->id + " (" + e->file + ")",
              number_text(delivered) + " GFLOP/s", "<= " + number_text(rated) + " GFLOP/s");
    }
  });
}

void check_bandwidth_above_link(const report_input &in, reporter &out) {
  for_each_case(in, [&](const case_view &v) {
    const json &c = *v.c;
    const std::string &where = v.where;
    const auto mit = c.find("metrics");
    if (c.value("operation", std::string()) != "collective" || mit == c.end() ||
        !mit->is_object()) {
      return;
    }
    const json &m = *mit;
    const auto *e = entry_of(in, v);
    if (e == nullptr || !e->link || e->link->gbps <= 0) {
      return;
    }
    const double busbw = m.value("busbw_gbps", 0.0);
    if (busbw > e->link->gbps) {
      out.add(where, "busbw above the link bandwidth of " + e->id + " (" + e->link->kind + ")",
              number_text(busbw) + " GB/s", "<= " + number_text(e->link->gbps) + " GB/s");
    }
  });
}

void check_clock(const report_input &in, reporter &out) {
  const auto check = [&](const json &d, const std::string &where) {
    const double current = d.value("clock_mhz_current", -1.0);
    const double max = d.value("clock_mhz_max", -1.0);
    for (const auto &[field, value] :
         {std::pair<const char *, double>{"clock_mhz_current", current}, {"clock_mhz_max", max}}) {
      if (value == 0 || value > 10000) {
        out.add(where, std::string("impossible ") + field, number_text(value) + " MHz",
                "in (0, 10000] MHz");
      }
    }
    if (current > 0 && max > 0 && current > max * 1.001) {
      out.add(where, "current clock above the device's maximum", number_text(current) + " MHz",
              "<= " + number_text(max) + " MHz");
    }
  };
  if (const auto nodes = in.report.find("nodes"); nodes != in.report.end()) {
    for (const auto &n : *nodes) {
      each_device(n, "node " + std::to_string(n.value("index", -1)) + " ", check);
    }
  } else {
    each_device(in.report, "", check);
  }
}

} // namespace suanli::audit
