#include <certify/claims.hpp>
#include <certify/verdict_view.hpp>

#include <algorithm>
#include <iterator>

namespace suanli::certify::detail {
namespace {

using nlohmann::json;

const json *device_info(const json &backends, const std::string &backend, int64_t device) {
  for (const auto &b : backends) {
    if (b.value("name", "") != backend || !b.contains("devices")) {
      continue;
    }
    for (const auto &d : b["devices"]) {
      if (d.value("index", int64_t{-1}) == device) {
        return &d;
      }
    }
  }
  return nullptr;
}

node_view node_of(int64_t index, std::string host, const json &backends, const json &peaks,
                  const json &cases) {
  node_view n{index, std::move(host), {}, &peaks};
  for (const auto &c : cases) {
    if (c.value("operation", "") == "collective") {
      continue;
    }
    const int64_t rank = c.value("rank", int64_t{-1});
    const std::string backend = c.value("backend", "");
    const int64_t device = c.value("device", int64_t{0});
    auto it = std::find_if(n.devices.begin(), n.devices.end(), [&](const device_view &d) {
      return d.rank == rank && d.backend == backend && d.device == device;
    });
    if (it == n.devices.end()) {
      n.devices.push_back(
          {rank, backend, device, device_info(backends, backend, device), {}, true});
      it = std::prev(n.devices.end());
    }
    it->cases.push_back(&c);
    const std::string status = c.value("status", "");
    if (status == "fail" || status == "error") {
      it->verified = false;
    }
  }
  return n;
}

} // namespace

std::vector<node_view> nodes_of(const json &report) {
  static const json empty = json::array();
  std::vector<node_view> out;
  if (report.contains("nodes") && report["nodes"].is_array()) {
    for (const auto &n : report["nodes"]) {
      out.push_back(node_of(n.value("index", int64_t{0}), n.value("host", ""),
                            n.contains("backends") ? n["backends"] : empty,
                            n.contains("peaks") ? n["peaks"] : empty,
                            n.contains("cases") ? n["cases"] : empty));
    }
    return out;
  }
  const json &system = report.contains("system") ? report["system"] : json::object();
  const json &host = system.contains("host") ? system["host"] : json::object();
  out.push_back(node_of(0, host.is_object() ? host.value("hostname", "") : "",
                        report.contains("backends") ? report["backends"] : empty,
                        report.contains("peaks") ? report["peaks"] : empty,
                        report.contains("cases") ? report["cases"] : empty));
  return out;
}

const json *find_peak(const node_view &n, const device_view &d, const std::string &dtype) {
  for (const auto &p : *n.peaks) {
    if (p.value("backend", "") == d.backend && p.value("device", int64_t{-1}) == d.device &&
        p.value("dtype", "") == dtype && p.value("rank", int64_t{-1}) == d.rank) {
      return &p;
    }
  }
  return nullptr;
}

std::optional<double> tflops_of(const json &record, const char *key) {
  if (!record.is_object() || !record.contains(key) || !record[key].is_number()) {
    return std::nullopt;
  }
  return record[key].get<double>() / 1e3;
}

const json *claimed_device(const json &claims, const std::string &model) {
  if (!claims.is_object() || !claims.contains("devices")) {
    return nullptr;
  }
  for (const auto &d : claims["devices"]) {
    if (model_key(d.value("model", "")) == model_key(model)) {
      return &d;
    }
  }
  return nullptr;
}

std::optional<double> claimed_tflops(const json &claims, const std::string &model,
                                     const std::string &precision) {
  const json *d = claimed_device(claims, model);
  if (d == nullptr || !d->contains("dense_tflops")) {
    return std::nullopt;
  }
  const json &dense = (*d)["dense_tflops"];
  if (!dense.contains(precision) || !dense[precision].is_number()) {
    return std::nullopt;
  }
  return dense[precision].get<double>();
}

} // namespace suanli::certify::detail
