// One database file: [vendor], [sources] and its [[device]] tables.
#include <devices/toml_reader.hpp>

#include <algorithm>
#include <cctype>

namespace suanli::devices::detail {
namespace {

std::string one_line(std::string_view text) {
  std::string s(text);
  std::replace(s.begin(), s.end(), '\n', ' ');
  return s;
}

bool is_source_key(std::string_view key) {
  return !key.empty() && std::all_of(key.begin(), key.end(), [](char c) {
    return std::islower(static_cast<unsigned char>(c)) != 0 ||
           std::isdigit(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '_' || c == '.';
  });
}

} // namespace

source_map read_sources(const reader &r, const toml::table &doc) {
  const auto &node = r.required(doc, "sources", "the file",
                                "a [sources] table: key = { ref = \"URL or document\", "
                                "confidence = \"...\" }");
  const auto &table = r.table(node, "'sources'");
  source_map out;
  for (const auto &[key, value] : table) {
    const std::string name(key.str());
    const std::string what = "source '" + name + "'";
    if (!is_source_key(name)) {
      r.fail(key.source(), "source name '" + name + "' has characters other than a-z, 0-9, -, _, .",
             "a lower-case name such as \"nvidia-h100-datasheet\"");
    }
    const auto &t = r.table(value, what);
    r.check_keys(t, what, {"ref", "confidence", "note"});
    source s;
    s.key = name;
    s.ref = r.string(r.required(t, "ref", what, "ref = \"URL or document name\""), what + ": ref");
    const auto &trust_node =
        r.required(t, "confidence", what, "confidence = one of " + confidence_names());
    const std::string trust = r.string(trust_node, what + ": confidence");
    const auto parsed = parse_confidence(trust);
    if (!parsed) {
      r.fail(trust_node.source(), what + ": unknown confidence '" + trust + "'",
             "one of " + confidence_names());
    }
    s.trust = *parsed;
    if (const auto *n = t.get("note")) {
      s.note = r.string(*n, what + ": note");
    }
    out.emplace(name, std::move(s));
  }
  return out;
}

provenance read_provenance(const reader &r, const toml::table &t, const source_map &sources,
                           const std::string &what) {
  const auto &node = r.required(t, "source", what,
                                "source = \"<key of [sources]>\" (every figure names its source)");
  const std::string key = r.string(node, what + ".source");
  const auto it = sources.find(key);
  if (it == sources.end()) {
    std::string known;
    for (const auto &[k, s] : sources) {
      known += (known.empty() ? "" : ", ") + k;
    }
    r.fail(node.source(), what + ".source: '" + key + "' is not in [sources]",
           "one of: " + (known.empty() ? std::string("(none defined)") : known));
  }
  provenance p{it->second, it->second.trust};
  if (const auto *n = t.get("confidence")) {
    const std::string trust = r.string(*n, what + ".confidence");
    const auto parsed = parse_confidence(trust);
    if (!parsed) {
      r.fail(n->source(), what + ".confidence: unknown value '" + trust + "'",
             "one of " + confidence_names());
    }
    p.trust = *parsed;
  }
  return p;
}

std::vector<device_entry> read_file(std::string_view text, const std::string &source) {
  const reader r(source);
  toml::table doc;
  try {
    doc = toml::parse(text, source);
  } catch (const toml::parse_error &e) {
    r.fail(e.source(), "TOML syntax error: " + one_line(e.description()),
           "valid TOML 1.0 (https://toml.io/en/v1.0.0)");
  }
  r.check_keys(doc, "the top level", {"vendor", "sources", "device"});

  const auto &vendor = r.table(
      r.required(doc, "vendor", "the file", "a [vendor] table with name = \"...\""), "'vendor'");
  r.check_keys(vendor, "[vendor]", {"name", "aliases"});
  const std::string vendor_name =
      r.string(r.required(vendor, "name", "[vendor]", "name = \"vendor name\""), "[vendor] 'name'");
  std::vector<std::string> aliases;
  if (const auto *n = vendor.get("aliases")) {
    aliases = r.strings(*n, "[vendor] 'aliases'");
  }

  const source_map sources = read_sources(r, doc);
  const auto &list = r.array(r.required(doc, "device", "the file", "at least one [[device]] table"),
                             "'device'", "[[device]] tables (an array of tables)");
  if (list.empty()) {
    r.fail(list.source(), "'device' is empty", "at least one [[device]] table");
  }
  std::vector<device_entry> out;
  for (size_t i = 0; i < list.size(); ++i) {
    device_entry e =
        read_device(r, r.table(*list.get(i), "device #" + std::to_string(i + 1)), sources, i);
    e.vendor = vendor_name;
    e.vendor_aliases = aliases;
    e.file = source;
    out.push_back(std::move(e));
  }
  return out;
}

} // namespace suanli::devices::detail
