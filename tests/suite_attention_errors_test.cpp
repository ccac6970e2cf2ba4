// Every error of an [[attention]] table: exit 2, one line, "file:line:column: ...; expected ...",
// pointing at the offending key or value.
#include "suite_support.hpp"

#include <bench/attention_problem.hpp>

namespace {

using namespace suanli::bench;
using namespace suanli::bench::suite_test;

// An [[attention]] table on line 3 whose lines 4 to 7 are these (valid unless a test changes
// one), then `extra` on line 8.
struct table {
  std::string dtypes = "dtypes = [\"fp32\"]";         // line 4
  std::string heads = "heads = [{ q = 32, kv = 8 }]"; // line 5
  std::string head_dim = "head_dim = 128";            // line 6
  std::string seq = "seq = 512";                      // line 7
  std::string extra;                                  // line 8
};

// The suite text of a table with some lines replaced, e.g. text({{&table::seq, "seq = 0"}}).
std::string text(std::initializer_list<std::pair<std::string table::*, std::string>> changes) {
  table t;
  for (const auto &[line, value] : changes) {
    t.*line = value;
  }
  std::string out = head + "[[attention]]\n";
  for (const auto *line : {&t.dtypes, &t.heads, &t.head_dim, &t.seq, &t.extra}) {
    out += *line + "\n";
  }
  return out;
}

TEST(SuiteAttentionErrors, TheValidTableParses) {
  EXPECT_EQ(parse_suite(text({}), "t.toml").cases.size(), 1U);
}

TEST(SuiteAttentionErrors, UnknownKeysAndDtypes) {
  const std::string unknown = error_of(text({{&table::dtypes, "dtype = [\"fp32\"]"}}));
  EXPECT_EQ(unknown.rfind("t.toml:4:1: unknown key 'dtype' in [[attention]]; expected one of: "
                          "name, dtypes, batch, seq, shapes, heads, heads_q, heads_kv, head_dim, "
                          "head_dim_v, causal, causal_align, layout, lse, measure (did you mean "
                          "'dtypes'?)",
                          0),
            0U)
      << unknown;
  expect_error(text({{&table::heads, "heads = [{ q = 8, k_v = 2 }]"}}), "5:19",
               "unknown key 'k_v' in a heads entry of [[attention]]; expected one of: q, kv (did "
               "you mean 'kv'?)");
  expect_error(text({{&table::seq, "shapes = [{ seq_q = 8, kv = 2 }]"}}), "7:24",
               "unknown key 'kv' in a shape of [[attention]]; expected one of: seq_q, seq_kv");
  expect_error(text({{&table::dtypes, "dtypes = [\"fp32\", \"int8\"]"}}), "4:19",
               "unknown attention dtype 'int8'; expected one of: " + attention_precision_names());
  EXPECT_EQ(attention_precision_names(), "fp32, bf16, fp16");
  expect_error(text({{&table::dtypes, "dtypes = [\"bf16\", \"bf16\"]"}}), "4:19",
               "dtype 'bf16' listed twice");
  expect_error(text({{&table::extra, "layout = \"sbhd\""}}), "8:10",
               "unknown layout 'sbhd'; expected one of: bshd, bhsd");
  expect_error(text({{&table::extra, "causal_align = \"center\""}}), "8:16",
               "unknown causal_align 'center'; expected one of: bottom_right, top_left");
  expect_error(text({{&table::extra, "measure = { min_samples = 0 }"}}), "8:27",
               "min_samples = 0 in [attention.measure] is out of range");
  expect_error(text({{&table::extra, "name = \"a b\""}}), "8:8", "is not a valid name");
}

TEST(SuiteAttentionErrors, HeadsNotAMultiplePointAtTheKeyValueHeads) {
  expect_error(text({{&table::heads, "heads = [{ q = 32, kv = 6 }]"}}), "5:25",
               "invalid attention b1_s512_h32kv6_d128 (fp32): heads_q = 32 is not a multiple of "
               "heads_kv = 6");
  expect_error(
      text({{&table::heads, "heads_q = 12"}, {&table::head_dim, "heads_kv = 5\nhead_dim = 128"}}),
      "6:12", "heads_q = 12 is not a multiple of heads_kv = 5");
}

TEST(SuiteAttentionErrors, ZeroNegativeAndOverflowingSizesPointAtTheValue) {
  expect_error(text({{&table::seq, "seq = [512, 0]"}}), "7:13", "seq_q = 0 must be >= 1");
  expect_error(text({{&table::seq, "shapes = [{ seq_q = 4, seq_kv = 0 }]"}}), "7:33",
               "seq_kv = 0 must be >= 1");
  expect_error(text({{&table::head_dim, "head_dim = [64, -1]"}}), "6:17",
               "head_dim_qk = -1 must be >= 1");
  expect_error(text({{&table::extra, "head_dim_v = 0"}}), "8:14", "head_dim_v = 0 must be >= 1");
  expect_error(text({{&table::extra, "batch = [1, 0]"}}), "8:13", "batch = 0 must be >= 1");
  expect_error(text({{&table::heads, "heads = [{ q = 0 }]"}}), "5:16", "heads_q = 0 must be >= 1");
  expect_error(text({{&table::seq, "seq = 3000000000"}}), "7:7",
               "seq_q = 3000000000 overflows: at most 2147483647");
  // every size in range, but Q alone would be 2^31 x 2^31 x 32 x 128 x 4 bytes
  expect_error(text({{&table::seq, "seq = 2147483647"}, {&table::extra, "batch = 2147483647"}}),
               "3:1", "tensor size overflows 64-bit byte counts");
}

TEST(SuiteAttentionErrors, WrongTypesAndRepeatedValues) {
  expect_error(text({{&table::extra, "causal = \"yes\""}}), "8:10",
               "'causal' in [[attention]] is a string; expected true or false or an array of "
               "them");
  expect_error(text({{&table::extra, "causal = [true, true]"}}), "8:17",
               "causal = true listed twice in [[attention]]");
  expect_error(text({{&table::seq, "seq = 5.0"}}), "7:7",
               "'seq' in [[attention]] is a float; expected an integer or an array of them");
  expect_error(text({{&table::seq, "seq = [512, 1024, 512]"}}), "7:19", "seq = 512 listed twice");
  expect_error(text({{&table::extra, "lse = 1"}}), "8:7",
               "'lse' in [[attention]] is an integer; expected true or false");
  expect_error(text({{&table::heads, "heads = { q = 8 }"}}), "5:9",
               "'heads' in [[attention]] is a table; expected an array of tables");
  expect_error(text({{&table::heads, "heads = [{ q = 8 }, { q = 8, kv = 8 }]"}}), "5:21",
               "heads {q = 8, kv = 8} listed twice");
}

TEST(SuiteAttentionErrors, MissingOrConflictingKeys) {
  expect_error(text({{&table::dtypes, ""}}), "3:1", "[[attention]] table has no 'dtypes'");
  expect_error(text({{&table::head_dim, ""}}), "3:1", "[[attention]] table has no 'head_dim'");
  expect_error(text({{&table::heads, ""}}), "3:1", "[[attention]] table has no heads");
  expect_error(text({{&table::seq, ""}}), "3:1", "[[attention]] table has no sequence lengths");
  expect_error(text({{&table::seq, "seq = []"}}), "7:7", "'seq' in [[attention]] is empty");
  expect_error(text({{&table::extra, "heads_q = 4"}}), "8:11",
               "'heads_q'/'heads_kv' together with 'heads' in [[attention]]");
  expect_error(text({{&table::heads, "heads_kv = 2"}}), "5:12",
               "'heads_kv' without 'heads_q' in [[attention]]");
  expect_error(text({{&table::heads, "heads = [{ kv = 2 }]"}}), "5:10", "heads entry has no 'q'");
  expect_error(text({{&table::seq, "shapes = [{ seq_q = 4 }]"}}), "7:11", "shape has no 'seq_kv'");
}

TEST(SuiteAttentionErrors, DuplicateCaseNamesNameBothPlaces) {
  const std::string twice = text({}) + "[[attention]]\ndtypes = [\"fp32\"]\n"
                                       "heads = [{ q = 32, kv = 8 }]\nhead_dim = 128\n"
                                       "seq = 512\n";
  const std::string message = error_of(twice);
  EXPECT_EQ(message.rfind("t.toml:13:7: duplicate case name 'attn.fp32.b1_s512_h32kv8_d128' "
                          "(first made at t.toml:7:7)",
                          0),
            0U)
      << message;
  // seq = S and shapes = [{S, S}] make the same case
  expect_error(text({{&table::seq, "seq = 512\nshapes = [{ seq_q = 512, seq_kv = 512 }]"}}), "8:11",
               "duplicate case name 'attn.fp32.b1_s512_h32kv8_d128' (first made at t.toml:7:7)");
}

} // namespace
