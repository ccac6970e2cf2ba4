#include <certify/claims.hpp>

#include <bench/error.hpp>
#include <bench/sha256.hpp>
#include <bench/suite_toml.hpp>
#include <devices/peak_key.hpp>
#include <reports/atomic_file.hpp>

#include <toml++/toml.h>

#include <algorithm>
#include <cctype>
#include <cmath>

namespace suanli::certify {
namespace {

using nlohmann::json;

using bench::suite_detail::type_name;

// The suite reader (positions, fail) with the claims file's typed reads.
class reader : public bench::suite_detail::reader {
public:
  using bench::suite_detail::reader::reader;

  void check_keys(const toml::table &t, const std::string &what,
                  const std::vector<std::string_view> &allowed) const {
    for (const auto &[key, value] : t) {
      if (std::find(allowed.begin(), allowed.end(), key.str()) == allowed.end()) {
        std::string list;
        for (const auto a : allowed) {
          list += (list.empty() ? "" : ", ") + std::string(a);
        }
        fail(key.source(), "unknown key '" + std::string(key.str()) + "' in " + what,
             "one of: " + list);
      }
    }
  }
  [[nodiscard]] const toml::node &required(const toml::table &t, std::string_view key,
                                           const std::string &what,
                                           const std::string &expected) const {
    if (const auto *n = t.get(key)) {
      return *n;
    }
    fail(t.source(), "missing '" + std::string(key) + "' in " + what, expected);
  }
  [[nodiscard]] std::string string(const toml::node &n, const std::string &what) const {
    const auto *s = n.as_string();
    if (s == nullptr) {
      fail(n.source(), what + " is " + type_name(n.type()), "a non-empty string");
    }
    if (s->get().find_first_not_of(" \t") == std::string::npos) {
      fail(n.source(), what + " is empty", "a non-empty string");
    }
    return s->get();
  }
  [[nodiscard]] int64_t integer(const toml::node &n, const std::string &what,
                                int64_t highest) const {
    const auto *i = n.as_integer();
    const std::string expected = "an integer from 1 to " + std::to_string(highest);
    if (i == nullptr) {
      fail(n.source(), what + " is " + type_name(n.type()), expected);
    }
    if (i->get() < 1 || i->get() > highest) {
      fail(n.source(), what + " is " + std::to_string(i->get()), expected);
    }
    return i->get();
  }
  [[nodiscard]] double positive(const toml::node &n, const std::string &what,
                                const std::string &unit) const {
    const std::string expected = "a number > 0 (" + unit + ")";
    double v = 0;
    if (const auto *i = n.as_integer()) {
      v = static_cast<double>(i->get());
    } else if (const auto *f = n.as_floating_point()) {
      v = f->get();
    } else {
      fail(n.source(), what + " is " + type_name(n.type()), expected);
    }
    if (!std::isfinite(v) || v <= 0) {
      fail(n.source(), what + " is " + std::to_string(v), expected);
    }
    return v;
  }
  // { bf16 = 989.4, ... }: device-database dtype keys to positive numbers.
  [[nodiscard]] std::map<std::string, double>
  per_dtype(const toml::node &n, const std::string &what, const std::string &unit) const {
    const auto *t = n.as_table();
    const std::string expected =
        "a table of dtype = " + unit + ", dtypes from: " + devices::peak_key_names();
    if (t == nullptr) {
      fail(n.source(), what + " is " + type_name(n.type()), expected);
    }
    if (t->empty()) {
      fail(n.source(), what + " is empty", expected);
    }
    std::map<std::string, double> out;
    for (const auto &[key, value] : *t) {
      if (!devices::parse_peak_key(key.str())) {
        fail(key.source(), "unknown dtype '" + std::string(key.str()) + "' in " + what,
             "one of: " + devices::peak_key_names());
      }
      out[std::string(key.str())] = positive(value, what + "." + std::string(key.str()), unit);
    }
    return out;
  }
};

std::string one_line(std::string_view text) {
  std::string s(text);
  std::replace(s.begin(), s.end(), '\n', ' ');
  return s;
}

} // namespace

std::string model_key(std::string_view model) {
  std::string out;
  for (const char ch : model) {
    if (std::isspace(static_cast<unsigned char>(ch)) != 0) {
      if (!out.empty() && out.back() != ' ') {
        out.push_back(' ');
      }
    } else {
      out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(ch))));
    }
  }
  if (!out.empty() && out.back() == ' ') {
    out.pop_back();
  }
  return out;
}

namespace {

claimed_device read_device(const reader &r, const toml::node &n, size_t index) {
  const std::string what = "devices[" + std::to_string(index) + "]";
  const auto *t = n.as_table();
  if (t == nullptr) {
    r.fail(n.source(), what + " is " + type_name(n.type()),
           "a [[devices]] table with model, count_per_node, dense_tflops");
  }
  r.check_keys(*t, "[[devices]]", {"model", "count_per_node", "dense_tflops"});
  claimed_device d;
  d.where = r.at(t->source());
  d.model = r.string(r.required(*t, "model", what, "model = \"<device model>\""), what + ".model");
  d.count_per_node =
      r.integer(r.required(*t, "count_per_node", what, "count_per_node = <devices per node>"),
                what + ".count_per_node", 1024);
  d.dense_tflops =
      r.per_dtype(r.required(*t, "dense_tflops", what, "dense_tflops = { bf16 = ..., ... }"),
                  what + ".dense_tflops", "TFLOP/s per device, dense; TOPS for int8");
  return d;
}

} // namespace

claims parse_claims(std::string_view text, const std::string &source) {
  const reader r(source);
  toml::table doc;
  try {
    doc = toml::parse(text, source);
  } catch (const toml::parse_error &e) {
    r.fail(e.source(), "TOML syntax error: " + one_line(e.description()),
           "valid TOML 1.0 (https://toml.io/en/v1.0.0)");
  }
  r.check_keys(
      doc, "the top level",
      {"schema", "provider", "cluster", "nodes", "interconnect_gbps", "cluster_pflops", "devices"});
  claims c;
  c.file = source;
  c.file_sha256 = bench::sha256_hex(text);
  if (const auto *schema = doc.get("schema")) {
    if (r.string(*schema, "'schema'") != claims_schema_id) {
      r.fail(schema->source(), "'schema' is \"" + r.string(*schema, "'schema'") + "\"",
             "\"" + std::string(claims_schema_id) + "\" (or no schema key)");
    }
  }
  const std::string top = "the claims file";
  c.provider = r.string(r.required(doc, "provider", top, "provider = \"<name>\""), "'provider'");
  c.cluster = r.string(r.required(doc, "cluster", top, "cluster = \"<id>\""), "'cluster'");
  c.nodes = r.integer(r.required(doc, "nodes", top, "nodes = <node count>"), "'nodes'", 1000000);
  if (const auto *bw = doc.get("interconnect_gbps")) {
    c.interconnect_gbps =
        r.positive(*bw, "'interconnect_gbps'", "GB/s per device, 1 GB/s = 1e9 B/s");
  }
  if (const auto *pf = doc.get("cluster_pflops")) {
    c.cluster_pflops = r.per_dtype(*pf, "'cluster_pflops'", "PFLOP/s for the whole cluster");
  }
  const auto &list = r.required(doc, "devices", top, "at least one [[devices]] table");
  const auto *devices = list.as_array();
  if (devices == nullptr || devices->empty()) {
    r.fail(list.source(), "'devices' is " + (devices == nullptr ? type_name(list.type()) : "empty"),
           "at least one [[devices]] table");
  }
  for (size_t i = 0; i < devices->size(); ++i) {
    auto d = read_device(r, (*devices)[i], i);
    for (const auto &seen : c.devices) {
      if (model_key(seen.model) == model_key(d.model)) {
        r.fail((*devices)[i].source(), "device model '" + d.model + "' claimed twice",
               "each model in one [[devices]] table (first at " + seen.where + ")");
      }
    }
    c.devices.push_back(std::move(d));
  }
  return c;
}

claims load_claims(const std::filesystem::path &path) {
  return parse_claims(reports::read_file(path, "claims file"), path.string());
}

nlohmann::json claims_json(const claims &c) {
  json devices = json::array();
  for (const auto &d : c.devices) {
    devices.push_back({{"model", d.model},
                       {"count_per_node", d.count_per_node},
                       {"dense_tflops", d.dense_tflops}});
  }
  json out = {{"schema", claims_schema_id}, {"file_sha256", c.file_sha256},
              {"provider", c.provider},     {"cluster", c.cluster},
              {"nodes", c.nodes},           {"devices", devices}};
  if (!c.cluster_pflops.empty()) {
    out["cluster_pflops"] = c.cluster_pflops;
  }
  if (c.interconnect_gbps) {
    out["interconnect_gbps"] = *c.interconnect_gbps;
  }
  return out;
}

std::string unseen_device_problem(const claims &c, const std::vector<std::string> &seen,
                                  std::string_view where) {
  for (const auto &d : c.devices) {
    const bool found = std::any_of(seen.begin(), seen.end(), [&](const std::string &s) {
      return model_key(s) == model_key(d.model);
    });
    if (found) {
      continue;
    }
    std::string list;
    for (const auto &s : seen) {
      if (list.find("'" + s + "'") == std::string::npos) {
        list += (list.empty() ? "'" : ", '") + s + "'";
      }
    }
    return d.where + ": claimed device model '" + d.model + "' was not seen on " +
           std::string(where) + "; expected one of the models seen: " +
           (list.empty() ? std::string("(no device)") : list);
  }
  return {};
}

} // namespace suanli::certify
