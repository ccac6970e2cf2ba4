// [[gemm]] tables of a suite file: dtypes x shapes expanded into cases (schema:
// suites/README.md).
#include <bench/suite_toml.hpp>

#include <bench/gemm_problem.hpp>

#include <algorithm>
#include <map>

namespace suanli::bench::suite_detail {
namespace {

const std::string table_name = "[[gemm]]";

// A value and where it was written.
struct located {
  int64_t value = 0;
  toml::source_region where;
};

// One shape of a table before its dtypes are applied.
struct shape_item {
  located m, n, k;
  std::string label;         // empty: gemm_problem::shape_label(); else
                             // "<projection>.t<tokens>"
  toml::source_region where; // the item, for duplicate-name messages
};

located read_dim(const reader &r, const toml::node &n, const std::string &what) {
  return {r.integer(n, what), n.source()};
}

const toml::array &int_list(const reader &r, const toml::node &n, const std::string &key) {
  const auto &a = r.array(n, "'" + key + "' in " + table_name, "an array of integers");
  if (a.empty()) {
    r.fail(n.source(), "'" + key + "' in " + table_name + " is empty", "at least one integer");
  }
  return a;
}

// shapes = [[m, n, k], ...]
void read_shapes(const reader &r, const toml::node &node, std::vector<shape_item> &items) {
  const auto &list = r.array(node, "'shapes' in " + table_name, "an array of [m, n, k] triples");
  for (const auto &entry : list) {
    const auto &triple = r.array(entry, "an entry of 'shapes'", "a triple [m, n, k]");
    if (triple.size() != 3) {
      r.fail(entry.source(), "shape has " + std::to_string(triple.size()) + " entries",
             "a triple [m, n, k]");
    }
    items.push_back({read_dim(r, triple[0], "m of a shape"), read_dim(r, triple[1], "n of a shape"),
                     read_dim(r, triple[2], "k of a shape"), "", entry.source()});
  }
}

// square = [s, ...] gives s x s x s.
void read_square(const reader &r, const toml::node &node, std::vector<shape_item> &items) {
  for (const auto &entry : int_list(r, node, "square")) {
    const located d = read_dim(r, entry, "an entry of 'square'");
    items.push_back({d, d, d, "", entry.source()});
  }
}

// tokens = [t, ...] with projections = [{name, n, k}, ...] gives t x n x k per
// projection.
void read_projections(const reader &r, const toml::node &tokens_node,
                      const toml::node &projections_node, std::vector<shape_item> &items) {
  std::vector<located> tokens;
  for (const auto &entry : int_list(r, tokens_node, "tokens")) {
    const located t = read_dim(r, entry, "an entry of 'tokens'");
    for (const auto &seen : tokens) {
      if (seen.value == t.value) {
        r.fail(entry.source(), "token count " + std::to_string(t.value) + " listed twice",
               "each token count once");
      }
    }
    tokens.push_back(t);
  }
  const auto &list = r.array(projections_node, "'projections' in " + table_name,
                             "an array of tables {name = \"...\", n = ..., k = ...}");
  if (list.empty()) {
    r.fail(projections_node.source(), "'projections' in " + table_name + " is empty",
           "at least one {name = \"...\", n = ..., k = ...}");
  }
  for (const auto &entry : list) {
    const auto &p = r.table(entry, "an entry of 'projections'");
    r.check_keys(p, "a projection", {"name", "n", "k"});
    for (const char *key : {"name", "n", "k"}) {
      if (!p.contains(key)) {
        r.fail(p.source(), std::string("projection has no '") + key + "'",
               "{name = \"model.layer\", n = <out features>, k = <in features>}");
      }
    }
    const std::string name = r.identifier(*p.get("name"), "projection 'name'");
    const located n = read_dim(r, *p.get("n"), "projection 'n'");
    const located k = read_dim(r, *p.get("k"), "projection 'k'");
    for (const auto &t : tokens) {
      items.push_back({t, n, k, name + ".t" + std::to_string(t.value), p.source()});
    }
  }
}

std::vector<shape_item> read_items(const reader &r, const toml::table &t) {
  std::vector<shape_item> items;
  if (const auto *node = t.get("shapes")) {
    read_shapes(r, *node, items);
  }
  if (const auto *node = t.get("square")) {
    read_square(r, *node, items);
  }
  const auto *tokens = t.get("tokens");
  const auto *projections = t.get("projections");
  if ((tokens == nullptr) != (projections == nullptr)) {
    const auto *given = tokens != nullptr ? tokens : projections;
    r.fail(given->source(),
           std::string("'") + (tokens != nullptr ? "tokens" : "projections") + "' without '" +
               (tokens != nullptr ? "projections" : "tokens") + "' in " + table_name,
           "tokens = [...] and projections = [{name = ..., n = ..., k = ...}] "
           "together");
  }
  if (tokens != nullptr) {
    read_projections(r, *tokens, *projections, items);
  }
  if (items.empty()) {
    r.fail(t.source(), table_name + " table has no shapes",
           "at least one of shapes = [[m, n, k], ...], square = [...], or "
           "tokens = [...] with "
           "projections = [...]");
  }
  return items;
}

std::vector<const gemm_precision *> read_dtypes(const reader &r, const toml::table &t) {
  const std::string expected =
      "dtypes = [\"fp32\", ...] with names from: " + gemm_precision_names();
  const auto *node = t.get("dtypes");
  if (node == nullptr) {
    r.fail(t.source(), table_name + " table has no 'dtypes'", expected);
  }
  const auto &list = r.array(*node, "'dtypes' in " + table_name, expected);
  if (list.empty()) {
    r.fail(node->source(), "'dtypes' in " + table_name + " is empty", expected);
  }
  std::vector<const gemm_precision *> out;
  for (const auto &entry : list) {
    const std::string name = r.string(entry, "an entry of 'dtypes'");
    const auto *p = find_gemm_precision(name);
    if (p == nullptr) {
      r.fail(entry.source(), "unknown dtype '" + name + "'", "one of: " + gemm_precision_names());
    }
    if (std::find(out.begin(), out.end(), p) != out.end()) {
      r.fail(entry.source(), "dtype '" + name + "' listed twice", "each dtype once");
    }
    out.push_back(p);
  }
  return out;
}

// Throw for an invalid problem, pointing at the value invalid_reason() names.
[[noreturn]] void fail_invalid(const reader &r, const toml::table &t, const gemm_problem &g,
                               const shape_item &item, const std::string &why) {
  const std::string label = why.substr(0, why.find(' '));
  const std::map<std::string, toml::source_region> where{
      {"m", item.m.where}, {"n", item.n.where}, {"k", item.k.where}};
  toml::source_region blame = t.source();
  if (const auto it = where.find(label); it != where.end()) {
    blame = it->second;
  } else if (const auto *node = t.get(label)) { // batch, lda, ldb, ldc
    blame = node->source();
  }
  const bool is_dim = where.count(label) != 0 || label == "batch";
  const bool is_lead = label.rfind("ld", 0) == 0;
  const std::string expected = is_dim ? "every dimension from 1 to " + std::to_string(gemm_max_dim)
                               : is_lead ? "0 (tight) or at least the row length"
                                         : "operands whose byte sizes fit in 64 bits";
  r.fail(blame,
         "invalid GEMM " + g.shape_label() + " (" + std::string(g.precision->name) + "): " + why,
         expected);
}

} // namespace

void expand_gemm(const reader &r, const toml::table &t, const measure_policy &defaults,
                 std::vector<expanded_case> &out) {
  r.check_keys(t, table_name,
               {"name", "dtypes", "shapes", "square", "tokens", "projections", "batch", "trans_a",
                "trans_b", "lda", "ldb", "ldc", "measure"});
  const auto precisions = read_dtypes(r, t);
  std::string prefix;
  if (const auto *node = t.get("name")) {
    prefix = r.identifier(*node, "'name' in " + table_name) + ".";
  }
  gemm_problem base;
  for (auto [key, member] :
       {std::pair{"batch", &gemm_problem::batch}, std::pair{"lda", &gemm_problem::lda},
        std::pair{"ldb", &gemm_problem::ldb}, std::pair{"ldc", &gemm_problem::ldc}}) {
    if (const auto *node = t.get(key)) {
      base.*member = r.integer(*node, "'" + std::string(key) + "' in " + table_name);
    }
  }
  for (auto [key, member] : {std::pair{"trans_a", &gemm_problem::trans_a},
                             std::pair{"trans_b", &gemm_problem::trans_b}}) {
    if (const auto *node = t.get(key)) {
      base.*member = r.boolean(*node, "'" + std::string(key) + "' in " + table_name);
    }
  }
  measure_policy policy = defaults;
  if (const auto *node = t.get("measure")) {
    policy = r.policy(r.table(*node, "'measure' in " + table_name), "[gemm.measure]", defaults);
  }
  const auto items = read_items(r, t);
  const std::string origin = r.at(t.source());
  for (const auto *precision : precisions) {
    for (const auto &item : items) {
      gemm_problem g = base;
      g.precision = precision;
      g.m = item.m.value;
      g.n = item.n.value;
      g.k = item.k.value;
      if (const auto why = g.invalid_reason()) {
        fail_invalid(r, t, g, item, *why);
      }
      std::string name = "gemm." + prefix + std::string(precision->name) + "." +
                         (item.label.empty() ? g.shape_label() : item.label);
      out.push_back({{std::move(name), g, policy, origin}, r.at(item.where)});
    }
  }
}

} // namespace suanli::bench::suite_detail
