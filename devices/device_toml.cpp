// One [[device]] table of a database file.
#include <devices/toml_reader.hpp>

#include <algorithm>
#include <cctype>

namespace suanli::devices::detail {
namespace {

// Fields that may be listed in not_published besides the peak keys.
constexpr std::string_view figure_fields[] = {"memory_gib", "memory_bandwidth_gbps", "tdp_watts",
                                              "link"};

bool is_id(std::string_view id) {
  return !id.empty() && std::all_of(id.begin(), id.end(), [](char c) {
    return std::islower(static_cast<unsigned char>(c)) != 0 ||
           std::isdigit(static_cast<unsigned char>(c)) != 0 || c == '-';
  });
}

bool is_pci_id(std::string_view id) {
  if (id.size() != 9 || id[4] != ':') {
    return false;
  }
  for (size_t i = 0; i < id.size(); ++i) {
    const auto c = static_cast<unsigned char>(id[i]);
    if (i != 4 && (std::isxdigit(c) == 0 || std::isupper(c) != 0)) {
      return false;
    }
  }
  return true;
}

// Reads the fields of one device, naming it in every message.
struct device_reader {
  const reader &r;
  const source_map &sources;
  std::string who; // "device 'id'"

  std::string field(std::string_view key) const { return who + ": " + std::string(key); }

  figure read_figure(const toml::node &n, std::string_view key, std::string_view unit) const {
    const std::string what = field(key);
    const auto &t = r.table(n, what);
    r.check_keys(t, what, {"value", "source", "confidence", "note"});
    figure f;
    f.value =
        r.positive(r.required(t, "value", what, "value = <number> [" + std::string(unit) + "]"),
                   what + ".value", unit);
    const provenance p = read_provenance(r, t, sources, what);
    f.from = p.from;
    f.trust = p.trust;
    if (const auto *note = t.get("note")) {
      f.note = r.string(*note, what + ".note");
    }
    f.origin = r.at(t.source());
    return f;
  }

  link_spec read_link(const toml::node &n) const {
    const std::string what = field("link");
    const auto &t = r.table(n, what);
    r.check_keys(t, what, {"kind", "gbps", "direction", "source", "confidence", "note"});
    link_spec l;
    l.kind = r.string(r.required(t, "kind", what, "kind = \"NVLink 4\" (or HCCS, MLU-Link, ...)"),
                      what + ".kind");
    if (const auto *g = t.get("gbps")) {
      l.gbps = r.positive(*g, what + ".gbps", "GB/s");
    }
    l.direction = "not stated";
    if (const auto *d = t.get("direction")) {
      l.direction = r.string(*d, what + ".direction");
      if (l.direction != "bidirectional" && l.direction != "unidirectional" &&
          l.direction != "not stated") {
        r.fail(d->source(), what + ".direction is '" + l.direction + "'",
               "\"bidirectional\", \"unidirectional\" or \"not stated\"");
      }
    }
    const provenance p = read_provenance(r, t, sources, what);
    l.from = p.from;
    l.trust = p.trust;
    if (const auto *note = t.get("note")) {
      l.note = r.string(*note, what + ".note");
    }
    l.origin = r.at(t.source());
    return l;
  }

  rated_peak read_peak(const toml::node &n, peak_key key) const {
    const std::string what = field("peaks." + std::string(name(key)));
    const auto &t = r.table(n, what);
    const bool integer = is_integer(key);
    const std::string_view value_key = integer ? "tops" : "tflops";
    const std::string_view wrong_key = integer ? "tflops" : "tops";
    if (const auto *wrong = t.get(wrong_key)) {
      r.fail(wrong->source(),
             what + " gives '" + std::string(wrong_key) + "'; " + std::string(name(key)) +
                 " is rated in " + std::string(unit(key)),
             std::string(value_key) + " = <number> [" + std::string(unit(key)) + "]");
    }
    r.check_keys(t, what, {value_key, "source", "confidence", "note"});
    rated_peak p;
    p.key = key;
    p.tflops = r.positive(
        r.required(t, value_key, what,
                   std::string(value_key) + " = <number> [" + std::string(unit(key)) + ", dense]"),
        what + "." + std::string(value_key), unit(key));
    const provenance from = read_provenance(r, t, sources, what);
    p.from = from.from;
    p.trust = from.trust;
    if (const auto *note = t.get("note")) {
      p.note = r.string(*note, what + ".note");
    }
    p.origin = r.at(t.source());
    return p;
  }

  peak_key key_of(const toml::source_region &where, std::string_view text,
                  const std::string &what) const {
    const auto key = parse_peak_key(text);
    if (!key) {
      r.fail(where, what + ": unknown dtype '" + std::string(text) + "'",
             "one of: " + peak_key_names());
    }
    return *key;
  }
};

} // namespace

device_entry read_device(const reader &r, const toml::table &t, const source_map &sources,
                         size_t index) {
  device_entry e;
  e.origin = r.at(t.source());
  std::string who = "device #" + std::to_string(index + 1);
  const auto &id_node = r.required(t, "id", who, "id = \"vendor-model\" (a-z, 0-9, -)");
  e.id = r.string(id_node, who + ": 'id'");
  if (!is_id(e.id)) {
    r.fail(id_node.source(), who + ": id '" + e.id + "' has characters other than a-z, 0-9, -",
           "an id such as \"nvidia-h100-sxm\"");
  }
  const device_reader d{r, sources, "device '" + e.id + "'"};
  r.check_keys(t, d.who,
               {"id", "model", "form_factor", "devices_per_package", "names", "name_patterns",
                "pci_ids", "pci_source", "memory_gib", "memory_bandwidth_gbps", "tdp_watts", "link",
                "peaks", "not_published", "unsupported", "note"});
  e.model = r.string(r.required(t, "model", d.who, "model = \"marketing name\""), d.field("model"));
  if (const auto *n = t.get("form_factor")) {
    e.form_factor = r.string(*n, d.field("form_factor"));
  }
  if (const auto *n = t.get("devices_per_package")) {
    e.devices_per_package = static_cast<int>(r.integer(*n, d.field("devices_per_package"), 1, 64));
  }
  if (const auto *n = t.get("note")) {
    e.note = r.string(*n, d.field("note"));
  }
  if (const auto *n = t.get("names")) {
    e.names = r.strings(*n, d.field("names"));
  }
  if (const auto *n = t.get("name_patterns")) {
    e.name_patterns = r.strings(*n, d.field("name_patterns"));
  }
  if (const auto *n = t.get("pci_ids")) {
    e.pci_ids = r.strings(*n, d.field("pci_ids"));
    for (const auto &item : *n->as_array()) {
      if (!is_pci_id(item.as_string()->get())) {
        r.fail(item.source(), d.field("pci_ids") + " has '" + item.as_string()->get() + "'",
               "\"vendor:device\" in lower-case hex, e.g. \"10de:2330\"");
      }
    }
    const std::string what = d.field("pci_source");
    const auto &src = r.required(t, "pci_source", d.who,
                                 "pci_source = \"<key of [sources]>\" where pci_ids are given");
    const std::string key = r.string(src, what);
    const auto it = sources.find(key);
    if (it == sources.end()) {
      r.fail(src.source(), what + ": source '" + key + "' is not in [sources]",
             "the key of a [sources] entry");
    }
    e.pci_source = it->second;
  }
  if (e.names.empty() && e.name_patterns.empty() && e.pci_ids.empty()) {
    r.fail(t.source(), d.who + ": no names, name_patterns or pci_ids",
           "names = [\"<device name as the vendor runtime reports it>\"]");
  }
  if (const auto *n = t.get("memory_gib")) {
    e.memory_gib = d.read_figure(*n, "memory_gib", "GiB");
  }
  if (const auto *n = t.get("memory_bandwidth_gbps")) {
    e.memory_bandwidth_gbps = d.read_figure(*n, "memory_bandwidth_gbps", "GB/s");
  }
  if (const auto *n = t.get("tdp_watts")) {
    e.tdp_watts = d.read_figure(*n, "tdp_watts", "W");
  }
  if (const auto *n = t.get("link")) {
    e.link = d.read_link(*n);
  }
  if (const auto *n = t.get("peaks")) {
    const auto &peaks = r.table(*n, d.field("peaks"));
    for (const auto &[key, value] : peaks) {
      const peak_key k = d.key_of(key.source(), key.str(), d.field("peaks"));
      e.peaks.emplace(k, d.read_peak(value, k));
    }
  }
  if (const auto *n = t.get("unsupported")) {
    const auto names = r.strings(*n, d.field("unsupported"));
    for (size_t i = 0; i < names.size(); ++i) {
      const auto &item = *n->as_array()->get(i);
      const peak_key k = d.key_of(item.source(), names[i], d.field("unsupported"));
      if (e.peaks.count(k) != 0) {
        r.fail(item.source(), d.who + ": '" + names[i] + "' is both rated and unsupported",
               "a dtype in peaks or in unsupported, not both");
      }
      e.unsupported.push_back(k);
    }
  }
  if (const auto *n = t.get("not_published")) {
    e.not_published = r.strings(*n, d.field("not_published"));
    for (size_t i = 0; i < e.not_published.size(); ++i) {
      const auto &item = *n->as_array()->get(i);
      const std::string &f = e.not_published[i];
      const bool figure_field = std::find(std::begin(figure_fields), std::end(figure_fields), f) !=
                                std::end(figure_fields);
      const auto key = parse_peak_key(f);
      if (!figure_field && !key) {
        r.fail(item.source(), d.field("not_published") + " has unknown field '" + f + "'",
               "a dtype (" + peak_key_names() +
                   ") or memory_gib, memory_bandwidth_gbps, "
                   "tdp_watts, link");
      }
      const bool given = key ? e.peaks.count(*key) != 0
                             : (f == "memory_gib" && e.memory_gib) ||
                                   (f == "memory_bandwidth_gbps" && e.memory_bandwidth_gbps) ||
                                   (f == "tdp_watts" && e.tdp_watts) || (f == "link" && e.link);
      if (given) {
        r.fail(item.source(), d.who + ": '" + f + "' is both given and listed in not_published",
               "a field either with its figure or in not_published");
      }
    }
  }
  if (e.peaks.empty() && e.not_published.empty()) {
    r.fail(t.source(), d.who + ": no rated peak",
           "at least one peaks.<dtype> = { tflops = ..., source = \"...\" }, or not_published "
           "= [\"fp16\", ...] naming the peaks no source publishes");
  }
  return e;
}

} // namespace suanli::devices::detail
