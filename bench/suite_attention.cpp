// [[attention]] tables of a suite file: dtypes x batch x heads x head dims x sequence shapes x
// causal, expanded into attention forward cases (schema: suites/README.md).
#include <bench/suite_toml.hpp>

#include <bench/attention_problem.hpp>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace suanli::bench::suite_detail {
namespace {

const std::string table_name = "[[attention]]";

using located_int = located<int64_t>;

// One (seq_q, seq_kv) pair: seq = [s] gives (s, s), shapes = [{seq_q, seq_kv}] gives both.
struct seq_item {
  located_int q, kv;
  toml::source_region where; // the item, for duplicate-name messages
};

// One (heads_q, heads_kv) pair.
struct heads_item {
  located_int q, kv;
};

// A string option and the value it selects.
template <class E> struct choice {
  std::string_view name;
  E value;
};

constexpr choice<causal_alignment> alignments[] = {{"bottom_right", causal_alignment::bottom_right},
                                                   {"top_left", causal_alignment::top_left}};
constexpr choice<sl_attention_layout> layouts[] = {{"bshd", SL_LAYOUT_BSHD},
                                                   {"bhsd", SL_LAYOUT_BHSD}};

std::string in_table(const std::string &key) {
  return "'" + key + "' in " + table_name;
}

std::vector<const attention_precision *> read_dtypes(const reader &r, const toml::table &t) {
  const std::string expected =
      "dtypes = [\"fp32\", ...] with names from: " + attention_precision_names();
  const auto *node = t.get("dtypes");
  if (node == nullptr) {
    r.fail(t.source(), table_name + " table has no 'dtypes'", expected);
  }
  const auto &list = r.array(*node, in_table("dtypes"), expected);
  if (list.empty()) {
    r.fail(node->source(), in_table("dtypes") + " is empty", expected);
  }
  std::vector<const attention_precision *> out;
  for (const auto &entry : list) {
    const std::string name = r.string(entry, "an entry of 'dtypes'");
    const auto *p = find_attention_precision(name);
    if (p == nullptr) {
      r.fail(entry.source(), "unknown attention dtype '" + name + "'",
             "one of: " + attention_precision_names());
    }
    if (std::find(out.begin(), out.end(), p) != out.end()) {
      r.fail(entry.source(), "dtype '" + name + "' listed twice", "each dtype once");
    }
    out.push_back(p);
  }
  return out;
}

// seq = ... and shapes = [{seq_q, seq_kv}, ...], in that order.
std::vector<seq_item> read_seqs(const reader &r, const toml::table &t) {
  std::vector<seq_item> items;
  if (const auto *node = t.get("seq")) {
    for (const auto &s : r.integers(*node, "seq", table_name)) {
      items.push_back({s, s, s.where});
    }
  }
  if (const auto *node = t.get("shapes")) {
    const std::string form = "{seq_q = <query tokens>, seq_kv = <key/value tokens>}";
    const auto &list = r.array(*node, in_table("shapes"), "an array of tables " + form);
    if (list.empty()) {
      r.fail(node->source(), in_table("shapes") + " is empty", "at least one " + form);
    }
    for (const auto &entry : list) {
      const auto &p = r.table(entry, "an entry of 'shapes'");
      r.check_keys(p, "a shape of " + table_name, {"seq_q", "seq_kv"});
      for (const char *key : {"seq_q", "seq_kv"}) {
        if (!p.contains(key)) {
          r.fail(p.source(), std::string("shape has no '") + key + "'", form);
        }
      }
      items.push_back(
          {{r.integer(*p.get("seq_q"), "'seq_q' of a shape"), p.get("seq_q")->source()},
           {r.integer(*p.get("seq_kv"), "'seq_kv' of a shape"), p.get("seq_kv")->source()},
           entry.source()});
    }
  }
  if (items.empty()) {
    r.fail(t.source(), table_name + " table has no sequence lengths",
           "seq = [512, ...] (seq_q = seq_kv) or shapes = [{seq_q = ..., seq_kv = ...}, ...]");
  }
  return items;
}

// heads = [{q, kv}, ...] or heads_q = ... with optional heads_kv = ...
std::vector<heads_item> read_heads(const reader &r, const toml::table &t) {
  const std::string forms = "heads = [{q = 32, kv = 8}, ...] or heads_q = 32 with heads_kv = 8";
  const auto *heads = t.get("heads");
  const auto *heads_q = t.get("heads_q");
  const auto *heads_kv = t.get("heads_kv");
  const auto read = [&](const toml::node &n, const std::string &what) {
    return located_int{r.integer(n, what), n.source()};
  };
  if (heads != nullptr && (heads_q != nullptr || heads_kv != nullptr)) {
    r.fail((heads_q != nullptr ? heads_q : heads_kv)->source(),
           "'heads_q'/'heads_kv' together with 'heads' in " + table_name, "one of " + forms);
  }
  if (heads_kv != nullptr && heads_q == nullptr) {
    r.fail(heads_kv->source(), "'heads_kv' without 'heads_q' in " + table_name, forms);
  }
  if (heads_q != nullptr) {
    const located_int q = read(*heads_q, in_table("heads_q"));
    return {{q, heads_kv != nullptr ? read(*heads_kv, in_table("heads_kv")) : q}};
  }
  if (heads == nullptr) {
    r.fail(t.source(), table_name + " table has no heads", forms);
  }
  const std::string form = "{q = <query heads>, kv = <key/value heads>} (kv defaults to q)";
  const auto &list = r.array(*heads, in_table("heads"), "an array of tables " + form);
  if (list.empty()) {
    r.fail(heads->source(), in_table("heads") + " is empty", "at least one " + form);
  }
  std::vector<heads_item> out;
  for (const auto &entry : list) {
    const auto &p = r.table(entry, "an entry of 'heads'");
    r.check_keys(p, "a heads entry of " + table_name, {"q", "kv"});
    if (!p.contains("q")) {
      r.fail(p.source(), "heads entry has no 'q'", form);
    }
    const located_int q = read(*p.get("q"), "'q' of a heads entry");
    const located_int kv = p.contains("kv") ? read(*p.get("kv"), "'kv' of a heads entry") : q;
    for (const auto &seen : out) {
      if (seen.q.value == q.value && seen.kv.value == kv.value) {
        r.fail(entry.source(),
               "heads {q = " + std::to_string(q.value) + ", kv = " + std::to_string(kv.value) +
                   "} listed twice",
               "each heads configuration once");
      }
    }
    out.push_back({q, kv});
  }
  return out;
}

template <class E, size_t N>
E read_choice(const reader &r, const toml::table &t, const std::string &key,
              const choice<E> (&options)[N], E fallback) {
  const auto *node = t.get(key);
  if (node == nullptr) {
    return fallback;
  }
  const std::string value = r.string(*node, in_table(key));
  std::string names;
  for (const auto &o : options) {
    if (o.name == value) {
      return o.value;
    }
    names += (names.empty() ? "" : ", ") + std::string(o.name);
  }
  r.fail(node->source(), "unknown " + key + " '" + value + "'", "one of: " + names);
}

// Where each size of a case was written, by the name invalid_reason() gives it.
struct blame_map {
  toml::source_region batch, seq_q, seq_kv, heads_q, heads_kv, head_dim_qk, head_dim_v;
};

// Throw for an invalid problem, pointing at the value invalid_reason() names.
[[noreturn]] void fail_invalid(const reader &r, const toml::table &t, const attention_problem &a,
                               const blame_map &at, const std::string &why) {
  // Sizes are limited to int32 (attention_problem.cpp, max_extent).
  const std::string sizes =
      "every size from 1 to " + std::to_string(std::numeric_limits<int32_t>::max());
  const std::pair<std::string_view, const toml::source_region *> by_label[] = {
      {"batch", &at.batch},          {"seq_q", &at.seq_q},       {"seq_kv", &at.seq_kv},
      {"heads_q", &at.heads_q},      {"heads_kv", &at.heads_kv}, {"head_dim_qk", &at.head_dim_qk},
      {"head_dim_v", &at.head_dim_v}};
  toml::source_region blame = t.source();
  std::string expected = "tensors whose byte sizes fit in 64 bits";
  if (why.find("not a multiple") != std::string::npos) {
    blame = at.heads_kv;
    expected = "heads_q a multiple of heads_kv (kv = q is MHA, kv = 1 is MQA)";
  } else {
    const std::string_view label = std::string_view(why).substr(0, why.find(' '));
    for (const auto &[name, where] : by_label) {
      if (name == label) {
        blame = *where;
        expected = sizes;
      }
    }
  }
  r.fail(blame,
         "invalid attention " + a.shape_label() + " (" + std::string(a.precision->name) +
             "): " + why,
         expected);
}

} // namespace

void expand_attention(const reader &r, const toml::table &t, const measure_policy &defaults,
                      std::vector<expanded_case> &out) {
  r.check_keys(t, table_name,
               {"name", "dtypes", "batch", "seq", "shapes", "heads", "heads_q", "heads_kv",
                "head_dim", "head_dim_v", "causal", "causal_align", "layout", "lse", "measure"});
  const auto precisions = read_dtypes(r, t);
  std::string prefix;
  if (const auto *node = t.get("name")) {
    prefix = r.identifier(*node, in_table("name")) + ".";
  }
  std::vector<located_int> batches{{1, t.source()}};
  if (const auto *node = t.get("batch")) {
    batches = r.integers(*node, "batch", table_name);
  }
  const auto heads = read_heads(r, t);
  const auto *head_dim_node = t.get("head_dim");
  if (head_dim_node == nullptr) {
    r.fail(t.source(), table_name + " table has no 'head_dim'",
           "head_dim = 128 or head_dim = [64, 128] (d_qk = d_v; head_dim_v = ... sets d_v)");
  }
  const auto head_dims = r.integers(*head_dim_node, "head_dim", table_name);
  std::optional<located_int> head_dim_v;
  if (const auto *node = t.get("head_dim_v")) {
    head_dim_v = located_int{r.integer(*node, in_table("head_dim_v")), node->source()};
  }
  const auto seqs = read_seqs(r, t);
  std::vector<located<bool>> causals{{false, t.source()}};
  if (const auto *node = t.get("causal")) {
    causals = r.booleans(*node, "causal", table_name);
  }
  attention_problem base;
  base.align = read_choice(r, t, "causal_align", alignments, causal_alignment::bottom_right);
  base.layout = read_choice(r, t, "layout", layouts, SL_LAYOUT_BSHD);
  if (const auto *node = t.get("lse")) {
    base.want_lse = r.boolean(*node, in_table("lse"));
  }
  measure_policy policy = defaults;
  if (const auto *node = t.get("measure")) {
    policy = r.policy(r.table(*node, in_table("measure")), "[attention.measure]", defaults);
  }

  const std::string origin = r.at(t.source());
  for (const auto *precision : precisions) {
    for (const auto &batch : batches) {
      for (const auto &h : heads) {
        for (const auto &d : head_dims) {
          for (const auto &s : seqs) {
            for (const auto &causal : causals) {
              attention_problem a = base;
              a.precision = precision;
              a.batch = batch.value;
              a.heads_q = h.q.value;
              a.heads_kv = h.kv.value;
              a.head_dim_qk = d.value;
              a.head_dim_v = head_dim_v ? head_dim_v->value : d.value;
              a.seq_q = s.q.value;
              a.seq_kv = s.kv.value;
              a.causal = causal.value;
              if (const auto why = a.invalid_reason()) {
                const blame_map at{batch.where,
                                   s.q.where,
                                   s.kv.where,
                                   h.q.where,
                                   h.kv.where,
                                   d.where,
                                   head_dim_v ? head_dim_v->where : d.where};
                fail_invalid(r, t, a, at, *why);
              }
              std::string name =
                  "attn." + prefix + std::string(precision->name) + "." + a.shape_label();
              out.push_back({{std::move(name), a, policy, origin}, r.at(s.where)});
            }
          }
        }
      }
    }
  }
}

} // namespace suanli::bench::suite_detail
