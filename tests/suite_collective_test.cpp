// [[collective]] tables: expansion order, case names, defaults, sweeps, and every schema error.
#include <bench/collective_problem.hpp>
#include <bench/suite.hpp>

#include "suite_support.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

namespace {

using namespace suanli::bench;
using namespace suanli::bench::suite_test;

const collective_problem &coll_of(const suite_case &c) {
  return std::get<collective_problem>(c.op);
}

TEST(SuiteCollective, ExpandsOpsDtypesReductionsInPlaceAndSizesInThatOrder) {
  const suite s = parse_suite(R"([suite]
name = "x"
[[collective]]
ops = ["all_reduce", "all_gather"]
dtypes = ["fp32", "bf16"]
reductions = ["sum", "max"]
in_place = [false, true]
sizes = [8, "1KiB"]
measure = { max_time_s = 3 }
)",
                              "x.toml");
  ASSERT_EQ(s.cases.size(), 24U); // all_reduce 2 x 2 x 2 x 2, all_gather 2 x 2 x 2
  const std::vector<std::string> first{
      "coll.all_reduce.fp32.sum.oop.8B",     "coll.all_reduce.fp32.sum.oop.1KiB",
      "coll.all_reduce.fp32.sum.inplace.8B", "coll.all_reduce.fp32.sum.inplace.1KiB",
      "coll.all_reduce.fp32.max.oop.8B",     "coll.all_reduce.fp32.max.oop.1KiB",
      "coll.all_reduce.fp32.max.inplace.8B", "coll.all_reduce.fp32.max.inplace.1KiB",
      "coll.all_reduce.bf16.sum.oop.8B",
  };
  const auto names = case_names(s);
  EXPECT_EQ(std::vector<std::string>(names.begin(), names.begin() + 9), first);
  EXPECT_EQ(names[16], "coll.all_gather.fp32.oop.8B");
  EXPECT_EQ(names.back(), "coll.all_gather.bf16.inplace.1KiB");
  EXPECT_EQ(std::set<std::string>(names.begin(), names.end()).size(), names.size());

  const auto &c = find_case(s, "coll.all_reduce.bf16.max.inplace.1KiB");
  const auto &p = coll_of(c);
  EXPECT_EQ(p.op, SL_COLL_ALL_REDUCE);
  EXPECT_EQ(p.dtype, SL_DTYPE_BF16);
  EXPECT_EQ(p.reduce, SL_REDUCE_MAX);
  EXPECT_TRUE(p.in_place);
  EXPECT_EQ(p.bytes, 1024U);
  EXPECT_EQ(p.root, 0);
  EXPECT_EQ(c.origin, "x.toml:3:1");
  EXPECT_EQ(c.policy.max_time_s, 3.0);
  const auto &g = coll_of(find_case(s, "coll.all_gather.fp32.oop.8B"));
  EXPECT_EQ(g.reduce, SL_REDUCE_NONE);
}

TEST(SuiteCollective, DefaultsAndSingleValues) {
  const suite s = parse_suite(head + "[[collective]]\nops = \"all_reduce\"\ndtypes = [\"fp32\"]\n"
                                     "sizes = \"1MiB\"\n",
                              "t.toml");
  ASSERT_EQ(case_names(s), std::vector<std::string>{"coll.all_reduce.fp32.sum.oop.1MiB"});
  const auto &p = coll_of(s.cases[0]);
  EXPECT_EQ(p.bytes, 1U << 20);
  EXPECT_EQ(p.reduce, SL_REDUCE_SUM);
  EXPECT_FALSE(p.in_place);
  EXPECT_EQ(s.cases[0].policy.max_time_s, measure_policy{}.max_time_s);
}

TEST(SuiteCollective, GeometricSweepsNamePrefixAndRoot) {
  const suite s = parse_suite(
      head + "[[collective]]\nname = \"tree\"\nops = [\"broadcast\", \"all_to_all\"]\n"
             "dtypes = [\"int8\", \"fp64\"]\nmin_bytes = \"1KiB\"\nmax_bytes = 1100000\n"
             "factor = 4\nroot = 1\n",
      "t.toml");
  ASSERT_EQ(s.cases.size(), 2U * 2U * 6U); // 1K, 4K, 16K, 64K, 256K, 1M
  const auto names = case_names(s);
  EXPECT_EQ(names[0], "coll.tree.broadcast.int8.oop.1KiB");
  EXPECT_EQ(names[5], "coll.tree.broadcast.int8.oop.1MiB");
  EXPECT_EQ(names.back(), "coll.tree.all_to_all.fp64.oop.1MiB");
  EXPECT_EQ(coll_of(s.cases[0]).root, 1);
  EXPECT_EQ(coll_of(s.cases.back()).root, 0); // all_to_all has no root
  // min = max gives one size; the default factor is 2
  const suite one = parse_suite(head + "[[collective]]\nops = \"sendrecv\"\ndtypes = [\"fp16\"]\n"
                                       "min_bytes = 64\nmax_bytes = 64\n",
                                "t.toml");
  EXPECT_EQ(case_names(one), std::vector<std::string>{"coll.sendrecv.fp16.oop.64B"});
  const suite two = parse_suite(head + "[[collective]]\nops = \"sendrecv\"\ndtypes = [\"fp16\"]\n"
                                       "min_bytes = \"1GiB\"\nmax_bytes = \"64GiB\"\n",
                                "t.toml");
  EXPECT_EQ(two.cases.size(), 7U);
  EXPECT_EQ(two.cases.back().name, "coll.sendrecv.fp16.oop.64GiB");
}

TEST(SuiteCollective, MixesWithOtherTablesInFileOrder) {
  const suite s = parse_suite(head + "[[collective]]\nops = \"all_reduce\"\ndtypes = [\"fp32\"]\n"
                                     "sizes = [4]\n[[gemm]]\ndtypes = [\"fp32\"]\nsquare = [8]\n",
                              "t.toml");
  EXPECT_EQ(case_names(s),
            (std::vector<std::string>{"coll.all_reduce.fp32.sum.oop.4B", "gemm.fp32.8x8x8"}));
}

TEST(SuiteCollective, ReadmeStatesTheBandwidthConvention) {
  std::ifstream in(std::filesystem::path(SUANLI_SOURCE_DIR) / "suites" / "README.md");
  std::ostringstream text;
  text << in.rdbuf();
  EXPECT_NE(text.str().find(std::string(collective_bw_convention)), std::string::npos);
  EXPECT_NE(text.str().find("`" + std::string(collective_bw_convention_text) + "`"),
            std::string::npos);
}

const std::string table = head + "[[collective]]\n";

TEST(SuiteCollectiveErrors, UnknownNamesListTheKnownOnes) {
  expect_error(table + "ops = [\"all_reduce\", \"allgather\"]\ndtypes = [\"fp32\"]\nsizes = [8]\n",
               "4:22",
               "unknown collective operation 'allgather' in 'ops'; expected one of: " +
                   collective_op_names());
  expect_error(table + "ops = \"all_reduce\"\ndtypes = [\"tf32\"]\nsizes = [8]\n", "5:11",
               "unknown collective dtype 'tf32' in 'dtypes'; expected one of: fp32, fp16, bf16, "
               "fp64, int32, int8");
  expect_error(
      table + "ops = \"all_reduce\"\ndtypes = [\"fp32\"]\nreductions = [\"avg\"]\nsizes = [8]\n",
      "6:15", "unknown reduction 'avg' in 'reductions'; expected one of: sum, prod, min, max");
  expect_error(table + "ops = \"all_reduce\"\ndtypes = [\"fp32\"]\nsize = [8]\n", "6:1",
               "unknown key 'size' in [[collective]]; expected one of: name, ops, dtypes");
  EXPECT_NE(error_of(table + "ops = \"all_reduce\"\ndtypes = [\"fp32\"]\nsize = [8]\n")
                .find("did you mean 'sizes'?"),
            std::string::npos);
  expect_error(head + "[collective]\nops = \"all_reduce\"\n", "3:1",
               "'collective' is a table; expected [[collective]] tables");
}

TEST(SuiteCollectiveErrors, ReductionsAndInPlaceMustFitTheOps) {
  expect_error(table + "ops = [\"all_gather\", \"broadcast\"]\ndtypes = [\"fp32\"]\n"
                       "reductions = [\"sum\"]\nsizes = [8]\n",
               "6:14", "'reductions' in [[collective]] but none of its ops reduces");
  expect_error(table + "ops = [\"all_reduce\", \"all_to_all\"]\ndtypes = [\"fp32\"]\n"
                       "in_place = [false, true]\nsizes = [8]\n",
               "6:20", "in_place = true for all_to_all, which has no in-place form");
  expect_error(table + "ops = \"sendrecv\"\ndtypes = [\"fp32\"]\nin_place = true\nsizes = [8]\n",
               "6:12", "in_place = true for sendrecv");
  expect_error(table + "ops = \"all_reduce\"\ndtypes = [\"fp32\"]\nroot = 1\nsizes = [8]\n", "6:8",
               "root = 1 in [[collective]] but none of its ops has a root");
  expect_error(table + "ops = \"reduce\"\ndtypes = [\"fp32\"]\nroot = -1\nsizes = [8]\n", "6:8",
               "root = -1 in [[collective]] is out of range");
  expect_error(table + "ops = [\"all_reduce\", \"all_reduce\"]\ndtypes = [\"fp32\"]\nsizes = [8]\n",
               "4:22", "ops = \"all_reduce\" listed twice");
}

TEST(SuiteCollectiveErrors, SizesAreCheckedWhereTheyAreWritten) {
  const std::string ops = "ops = \"all_reduce\"\ndtypes = [\"fp32\", \"fp64\"]\n";
  expect_error(table + ops + "sizes = [8, 0]\n", "6:13", "an entry of 'sizes' is 0 B");
  expect_error(table + ops + "sizes = [8, \"12B\"]\n", "6:13",
               "an entry of 'sizes' = 12 B is not a multiple of the fp64 element size (8 B)");
  expect_error(table + ops + "sizes = [\"4KB\"]\n", "6:10",
               "an entry of 'sizes' = \"4KB\" is not a size");
  expect_error(table + ops + "sizes = [\"65GiB\"]\n", "6:10", "an entry of 'sizes' exceeds 64GiB");
  expect_error(table + ops + "sizes = [-8]\n", "6:10", "an entry of 'sizes' = -8 is negative");
  expect_error(table + ops + "sizes = [8.0]\n", "6:10", "an entry of 'sizes' is a float");
  expect_error(table + ops + "sizes = [\"1KiB\", 1024]\n", "6:18",
               "size 1KiB (1024 B) listed twice");
  expect_error(table + ops + "sizes = []\n", "6:9", "'sizes' in [[collective]] is empty");
  expect_error(table + ops + "min_bytes = \"1MiB\"\nmax_bytes = \"1KiB\"\n", "7:13",
               "max_bytes = 1KiB (1024 B) is below min_bytes = 1MiB (1048576 B)");
  expect_error(table + ops + "min_bytes = 8\nmax_bytes = 64\nfactor = 1\n", "8:10",
               "factor = 1 in [[collective]] is below 2");
  expect_error(table + ops + "min_bytes = 0\nmax_bytes = 64\n", "6:13",
               "'min_bytes' in [[collective]] is 0 B");
  expect_error(table + ops + "min_bytes = 12\nmax_bytes = 64\n", "6:13",
               "not a multiple of the fp64 element size");
  expect_error(table + ops + "sizes = [8]\nmin_bytes = 8\nmax_bytes = 64\n", "7:13",
               "'min_bytes'/'max_bytes' together with 'sizes' in [[collective]]");
  expect_error(table + ops + "min_bytes = 8\n", "6:13", "'min_bytes' without 'max_bytes'");
  expect_error(table + ops + "sizes = [8]\nfactor = 4\n", "7:10", "'factor' without 'min_bytes'");
  expect_error(table + ops, "3:1", "[[collective]] table has no sizes");
}

TEST(SuiteCollectiveErrors, MissingKeysAndDuplicateCases) {
  expect_error(table + "dtypes = [\"fp32\"]\nsizes = [8]\n", "3:1",
               "[[collective]] table has no 'ops'");
  expect_error(table + "ops = \"all_reduce\"\nsizes = [8]\n", "3:1",
               "[[collective]] table has no 'dtypes'");
  expect_error(table + "ops = \"all_reduce\"\ndtypes = \"fp32\"\nsizes = [8]\n", "5:10",
               "'dtypes' in [[collective]] is a string");
  const std::string once = "ops = \"broadcast\"\ndtypes = [\"fp32\"]\nsizes = [8]\n";
  const std::string message = error_of(table + once + "[[collective]]\n" + once + "root = 1\n");
  EXPECT_EQ(message.rfind("t.toml:10:10: duplicate case name 'coll.broadcast.fp32.oop.8B'", 0), 0U)
      << message;
}

} // namespace
