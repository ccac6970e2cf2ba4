// [[collective]] tables of a suite file: ops x dtypes x reductions x in-place x sizes, expanded
// into collective cases (schema: suites/README.md).
#include <bench/suite_toml.hpp>

#include <bench/collective_problem.hpp>
#include <bench/dtype.hpp>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <string>
#include <utility>
#include <vector>

namespace suanli::bench::suite_detail {
namespace {

const std::string table_name = "[[collective]]";

std::string in_table(const std::string &key) {
  return "'" + key + "' in " + table_name;
}

// key = "x" (when single is allowed) or key = ["x", ...]: each string with its position; an
// empty array or a string listed twice is an error.
std::vector<located<std::string>> strings(const reader &r, const toml::node &n,
                                          const std::string &key, bool single,
                                          const std::string &expected) {
  std::vector<located<std::string>> out;
  const auto add = [&](const toml::node &entry, const std::string &what) {
    std::string s = r.string(entry, what);
    for (const auto &seen : out) {
      if (seen.value == s) {
        r.fail(entry.source(), key + " = \"" + s + "\" listed twice in " + table_name,
               "each value once");
      }
    }
    out.push_back({std::move(s), entry.source()});
  };
  if (single && n.is_string()) {
    add(n, in_table(key));
    return out;
  }
  const auto &list = r.array(n, in_table(key), expected);
  if (list.empty()) {
    r.fail(n.source(), in_table(key) + " is empty", expected);
  }
  for (const auto &entry : list) {
    add(entry, "an entry of '" + key + "'");
  }
  return out;
}

std::vector<const collective_op_info *> read_ops(const reader &r, const toml::table &t) {
  const std::string expected =
      "ops = \"all_reduce\" or ops = [...] with names from: " + collective_op_names();
  const auto *node = t.get("ops");
  if (node == nullptr) {
    r.fail(t.source(), table_name + " table has no 'ops'", expected);
  }
  std::vector<const collective_op_info *> out;
  for (const auto &s : strings(r, *node, "ops", true, expected)) {
    const auto *op = find_collective_op(s.value);
    if (op == nullptr) {
      r.fail(s.where, "unknown collective operation '" + s.value + "' in 'ops'",
             "one of: " + collective_op_names());
    }
    out.push_back(op);
  }
  return out;
}

std::vector<sl_dtype> read_dtypes(const reader &r, const toml::table &t) {
  const std::string expected =
      "dtypes = [\"fp32\", ...] with names from: " + collective_dtype_names();
  const auto *node = t.get("dtypes");
  if (node == nullptr) {
    r.fail(t.source(), table_name + " table has no 'dtypes'", expected);
  }
  std::vector<sl_dtype> out;
  for (const auto &s : strings(r, *node, "dtypes", false, expected)) {
    const auto d = parse_dtype(s.value);
    const auto known = collective_dtypes();
    if (!d || std::find(known.begin(), known.end(), *d) == known.end()) {
      r.fail(s.where, "unknown collective dtype '" + s.value + "' in 'dtypes'",
             "one of: " + collective_dtype_names());
    }
    out.push_back(*d);
  }
  return out;
}

std::vector<sl_reduce_op> read_reductions(const reader &r, const toml::table &t,
                                          const std::vector<const collective_op_info *> &ops) {
  const auto *node = t.get("reductions");
  if (node == nullptr) {
    return {SL_REDUCE_SUM};
  }
  const std::string names = "sum, prod, min, max";
  std::vector<sl_reduce_op> out;
  for (const auto &s :
       strings(r, *node, "reductions", false, "reductions = [\"sum\", ...] from: " + names)) {
    const auto red = find_reduce(s.value);
    if (!red) {
      r.fail(s.where, "unknown reduction '" + s.value + "' in 'reductions'", "one of: " + names);
    }
    out.push_back(*red);
  }
  if (std::none_of(ops.begin(), ops.end(), [](const auto *op) { return op->reduces; })) {
    r.fail(node->source(), in_table("reductions") + " but none of its ops reduces",
           "reductions only with all_reduce, reduce_scatter or reduce in 'ops'");
  }
  return out;
}

// in_place = bool or [bool, ...]; true with an operation that has no in-place form is an error.
std::vector<located<bool>> read_in_place(const reader &r, const toml::table &t,
                                         const std::vector<const collective_op_info *> &ops) {
  const auto *node = t.get("in_place");
  if (node == nullptr) {
    return {{false, t.source()}};
  }
  auto out = r.booleans(*node, "in_place", table_name);
  for (const auto &v : out) {
    for (const auto *op : ops) {
      if (v.value && !op->in_place_allowed) {
        r.fail(v.where,
               "in_place = true for " + std::string(op->name) +
                   ", which has no in-place form (NCCL defines none)",
               "in_place = false, or " + std::string(op->name) + " in a table of its own");
      }
    }
  }
  return out;
}

int32_t read_root(const reader &r, const toml::table &t,
                  const std::vector<const collective_op_info *> &ops) {
  const auto *node = t.get("root");
  if (node == nullptr) {
    return 0;
  }
  const int64_t root = r.integer(*node, in_table("root"));
  if (root < 0 || root > std::numeric_limits<int32_t>::max()) {
    r.fail(node->source(),
           "root = " + std::to_string(root) + " in " + table_name + " is out of range",
           "a rank from 0 to " + std::to_string(std::numeric_limits<int32_t>::max()));
  }
  if (root != 0 &&
      std::none_of(ops.begin(), ops.end(), [](const auto *op) { return op->has_root; })) {
    r.fail(node->source(),
           "root = " + std::to_string(root) + " in " + table_name +
               " but none of its ops has a root",
           "root only with broadcast or reduce in 'ops'");
  }
  return static_cast<int32_t>(root);
}

} // namespace

void expand_collective(const reader &r, const toml::table &t, const measure_policy &defaults,
                       std::vector<expanded_case> &out) {
  r.check_keys(t, table_name,
               {"name", "ops", "dtypes", "reductions", "in_place", "sizes", "min_bytes",
                "max_bytes", "factor", "root", "measure"});
  const auto ops = read_ops(r, t);
  const auto dtypes = read_dtypes(r, t);
  std::string prefix;
  if (const auto *node = t.get("name")) {
    prefix = r.identifier(*node, in_table("name")) + ".";
  }
  const auto reductions = read_reductions(r, t, ops);
  const auto in_places = read_in_place(r, t, ops);
  const auto sizes = read_collective_sizes(r, t, dtypes);
  const int32_t root = read_root(r, t, ops);
  measure_policy policy = defaults;
  if (const auto *node = t.get("measure")) {
    policy = r.policy(r.table(*node, in_table("measure")), "[collective.measure]", defaults);
  }

  const std::string origin = r.at(t.source());
  const std::vector<sl_reduce_op> no_reduction{SL_REDUCE_NONE};
  for (const auto *op : ops) {
    for (const auto dtype : dtypes) {
      for (const auto red : op->reduces ? reductions : no_reduction) {
        for (const auto &in_place : in_places) {
          for (const auto &size : sizes) {
            collective_problem c;
            c.op = op->op;
            c.dtype = dtype;
            c.reduce = red;
            c.in_place = in_place.value;
            c.root = op->has_root ? root : 0;
            c.bytes = size.value;
            if (const auto why = c.invalid_reason()) {
              r.fail(size.where, "invalid collective " + c.label() + ": " + *why,
                     "a valid collective (suites/README.md)");
            }
            std::string name = "coll." + prefix + std::string(op->name) + "." +
                               std::string(bench::name(dtype)) +
                               (op->reduces ? "." + std::string(reduce_name(red)) : "") +
                               (in_place.value ? ".inplace." : ".oop.") + format_bytes(size.value);
            out.push_back({{std::move(name), c, policy, origin}, r.at(size.where)});
          }
        }
      }
    }
  }
}

} // namespace suanli::bench::suite_detail
