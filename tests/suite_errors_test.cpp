// Every schema and syntax error of a suite file: exit 2, one line, "file:line:column: ...".
#include "suite_support.hpp"

namespace {

using namespace suanli::bench;
using namespace suanli::bench::suite_test;

TEST(SuiteErrors, UnknownDtypeNamesTheKnownOnes) {
  expect_error(head + "[[gemm]]\ndtypes = [\"fp32\", \"fp8\"]\nsquare = [8]\n", "4:19",
               "unknown dtype 'fp8'; expected one of: " + gemm_precision_names());
}

TEST(SuiteErrors, TomlSyntaxErrorsCarryTheirPosition) {
  expect_error(head + "[[gemm]]\ndtypes = [\"fp32\"\nsquare = [8]\n", "5:1", "TOML syntax error");
  expect_error(head + "[[gemm]]\ndtypes = [\"fp32\"]\nsquare = [8]\nsquare = [9]\n", "6:10",
               "cannot redefine existing array 'square'");
  // beyond int64: toml++ refuses the literal itself
  expect_error(head + "[[gemm]]\ndtypes = [\"fp32\"]\nsquare = [99999999999999999999]\n", "5:31",
               "not representable in 64 bits");
}

TEST(SuiteErrors, UnknownKeysAreRejectedEverywhereWithAHint) {
  expect_error(head + "[[gemm]]\ndtype = [\"fp32\"]\nsquare = [8]\n", "4:1",
               "unknown key 'dtype' in [[gemm]]; expected one of: name, dtypes");
  EXPECT_NE(error_of(head + "[[gemm]]\ndtype = [\"fp32\"]\n").find("did you mean 'dtypes'?"),
            std::string::npos);
  expect_error(head + "version = 2\n", "3:1", "unknown key 'version' in [suite]");
  expect_error(head + "[suite.measure]\nmax_time = 3\n", "4:1",
               "unknown key 'max_time' in [suite.measure]");
  expect_error(head + "[benchmark]\nheads = 8\n", "3:2",
               "unknown key 'benchmark' in the top level; expected one of: suite, gemm, attention");
  expect_error(head + "[[gemm]]\ndtypes = [\"fp32\"]\ntokens = [1]\n"
                      "projections = [{ name = \"a\", n = 2, k = 3, m = 4 }]\n",
               "6:44", "unknown key 'm' in a projection");
  expect_error(head +
                   "[[gemm]]\ndtypes = [\"fp32\"]\nsquare = [8]\nmeasure = { max_samples = 3 }\n",
               "6:13", "unknown key 'max_samples' in [gemm.measure]");
}

TEST(SuiteErrors, WrongTypesSayWhatWasExpected) {
  expect_error(head + "[[gemm]]\ndtypes = \"fp32\"\nsquare = [8]\n", "4:10",
               "'dtypes' in [[gemm]] is a string");
  expect_error(head + "[[gemm]]\ndtypes = [\"fp32\"]\nsquare = [8.0]\n", "5:11",
               "an entry of 'square' is a float; expected an integer");
  expect_error(head + "[[gemm]]\ndtypes = [\"fp32\"]\nsquare = [8]\ntrans_b = \"yes\"\n", "6:11",
               "'trans_b' in [[gemm]] is a string; expected true or false");
  expect_error(head + "[[gemm]]\ndtypes = [\"fp32\"]\nshapes = [[1, 2]]\n", "5:11",
               "shape has 2 entries");
  expect_error(head + "[gemm]\ndtypes = [\"fp32\"]\n", "3:1", "'gemm' is a table");
  expect_error(head + "[attention]\ndtypes = [\"fp32\"]\n", "3:1",
               "'attention' is a table; expected [[attention]] tables");
  expect_error(head + "description = 3\n[[gemm]]\ndtypes = [\"fp32\"]\nsquare = [8]\n", "3:15",
               "'description' in [suite] is an integer; expected a string");
}

TEST(SuiteErrors, ZeroNegativeAndOverflowingDimensionsPointAtTheValue) {
  expect_error(head + "[[gemm]]\ndtypes = [\"fp32\"]\nsquare = [8, 0]\n", "5:14",
               "m = 0 must be >= 1");
  expect_error(head + "[[gemm]]\ndtypes = [\"fp32\"]\nshapes = [[4, -2, 4]]\n", "5:15",
               "n = -2 must be >= 1");
  expect_error(head + "[[gemm]]\ndtypes = [\"fp32\"]\nshapes = [[4, 4, 3000000000]]\n", "5:18",
               "k = 3000000000 overflows");
  expect_error(head + "[[gemm]]\ndtypes = [\"fp32\"]\ntokens = [1]\n"
                      "projections = [{ name = \"a\", n = 0, k = 3 }]\n",
               "6:34", "n = 0 must be >= 1");
  expect_error(head + "[[gemm]]\ndtypes = [\"fp32\"]\nsquare = [8]\nbatch = 0\n", "6:9",
               "batch = 0 must be >= 1");
  expect_error(head + "[[gemm]]\ndtypes = [\"fp32\"]\nsquare = [8]\nldb = 4\n", "6:7",
               "ldb = 4 is below the row length 8");
}

TEST(SuiteErrors, DuplicateCaseNamesNameBothPlaces) {
  const std::string message =
      error_of(head + "[[gemm]]\ndtypes = [\"fp32\"]\nsquare = [8]\n"
                      "[[gemm]]\ndtypes = [\"fp32\"]\nshapes = [[8, 8, 8]]\n");
  EXPECT_EQ(message.rfind("t.toml:8:11: duplicate case name 'gemm.fp32.8x8x8'", 0), 0U) << message;
  EXPECT_NE(message.find("first made at t.toml:5:11"), std::string::npos) << message;
  expect_error(head + "[[gemm]]\ndtypes = [\"fp32\", \"fp32\"]\nsquare = [8]\n", "4:19",
               "dtype 'fp32' listed twice");
}

TEST(SuiteErrors, EmptyOrIncompleteSuitesAreRefused) {
  expect_error(head, "1:1",
               "suite 't' has no cases; expected at least one [[gemm]] or [[attention]] table");
  expect_error("gemm = []\n" + head, "2:1", "has no cases");
  expect_error("", "1:1", "missing [suite] table");
  expect_error("[suite]\ndescription = \"no name\"\n", "1:1", "[suite] has no 'name'");
  expect_error(head + "[[gemm]]\ndtypes = [\"fp32\"]\n", "3:1", "[[gemm]] table has no shapes");
  expect_error(head + "[[gemm]]\nsquare = [8]\n", "3:1", "[[gemm]] table has no 'dtypes'");
  expect_error(head + "[[gemm]]\ndtypes = []\nsquare = [8]\n", "4:10",
               "'dtypes' in [[gemm]] is empty");
  expect_error(head + "[[gemm]]\ndtypes = [\"fp32\"]\ntokens = [1]\n", "5:10",
               "'tokens' without 'projections'");
  expect_error(head + "[[gemm]]\ndtypes = [\"fp32\"]\nsquare = []\n", "5:10",
               "'square' in [[gemm]] is empty");
}

TEST(SuiteErrors, MeasurePoliciesAreRangeChecked) {
  expect_error(head + "[suite.measure]\nmin_samples = 0\n", "4:15",
               "min_samples = 0 in [suite.measure] is out of range");
  expect_error(head + "[suite.measure]\ntarget_rel_ci = -0.1\n", "4:17", "out of range");
  expect_error(head + "[suite.measure]\nmax_time_s = 0\n", "4:14", "out of range");
  expect_error(head + "[suite.measure]\nwarmup_s = nan\n", "4:12", "not finite");
  expect_error(head + "[suite.measure]\nmin_samples = 2.5\n", "4:15", "expected an integer");
  expect_error(head + "[suite.measure]\nmin_time_s = 5\nmax_time_s = 1\n", "3:1",
               "min_time_s = 5 exceeds max_time_s = 1");
  expect_error(head +
                   "[[gemm]]\ndtypes = [\"fp32\"]\nsquare = [8]\nmeasure = { max_time_s = 0.5 }\n",
               "6:11", "min_time_s = 1 exceeds max_time_s = 0.5 in [gemm.measure]");
}

TEST(SuiteErrors, NamesMustBeIdentifiers) {
  expect_error("[suite]\nname = \"a b\"\n", "2:8", "is not a valid name");
  expect_error(head + "[[gemm]]\nname = \"\"\ndtypes = [\"fp32\"]\nsquare = [8]\n", "4:8",
               "is not a valid name");
}

} // namespace
