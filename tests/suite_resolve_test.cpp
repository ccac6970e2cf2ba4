// Finding suites by name or path, and reading suite files.
#include <bench/error.hpp>
#include <bench/suite.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>

namespace {

using namespace suanli::bench;
namespace fs = std::filesystem;

const fs::path data = fs::path(SUANLI_TEST_DATA) / "suites";

// The message of the bench::error f throws; fails the test unless it is exit 2.
template <class F> std::string error_of(F f) {
  try {
    f();
  } catch (const error &e) {
    EXPECT_EQ(e.code(), exit_code::bad_input) << e.what();
    return e.what();
  }
  ADD_FAILURE() << "no error";
  return {};
}

bool contains(const std::string &text, const std::string &part) {
  return text.find(part) != std::string::npos;
}

// Runs each test with $SUANLI_SUITE_PATH unset, restoring it afterwards.
class SuiteResolve : public ::testing::Test {
protected:
  void SetUp() override {
    if (const char *v = std::getenv("SUANLI_SUITE_PATH")) {
      saved_ = v;
    }
    unsetenv("SUANLI_SUITE_PATH");
  }
  void TearDown() override {
    if (saved_) {
      setenv("SUANLI_SUITE_PATH", saved_->c_str(), 1);
    } else {
      unsetenv("SUANLI_SUITE_PATH");
    }
  }

private:
  std::optional<std::string> saved_;
};

TEST_F(SuiteResolve, FindsShippedSuitesByName) {
  const fs::path quick = resolve_suite("quick");
  EXPECT_EQ(quick.filename(), "quick.toml");
  EXPECT_TRUE(fs::is_regular_file(quick));
  EXPECT_EQ(load_suite_file(quick).name, "quick");
  const auto names = available_suites();
  EXPECT_TRUE(std::is_sorted(names.begin(), names.end()));
  EXPECT_NE(std::find(names.begin(), names.end(), "quick"), names.end());
  EXPECT_NE(std::find(names.begin(), names.end(), "gemm"), names.end());
  // the source tree's suites/ is always searched last
  EXPECT_EQ(suite_search_dirs().back(), fs::path(SUANLI_SOURCE_DIR "/suites").lexically_normal());
}

TEST_F(SuiteResolve, UnknownNameListsAvailableSuitesAndSearchedFolders) {
  const std::string message = error_of([] { (void)resolve_suite("nope"); });
  EXPECT_EQ(message.rfind("unknown suite 'nope'; available: ", 0), 0U) << message;
  EXPECT_TRUE(contains(message, "gemm, quick")) << message;
  EXPECT_TRUE(contains(message, "(searched: ")) << message;
  EXPECT_TRUE(contains(message, fs::path(SUANLI_SOURCE_DIR "/suites").lexically_normal().string()))
      << message;
  EXPECT_TRUE(contains(error_of([] { (void)resolve_suite(""); }), "unknown suite ''"));
}

TEST_F(SuiteResolve, SuitePathComesFirstAndSkipsEmptyEntries) {
  setenv("SUANLI_SUITE_PATH", (data.string() + "::/nonexistent/suanli").c_str(), 1);
  const auto dirs = suite_search_dirs();
  ASSERT_GE(dirs.size(), 3U);
  EXPECT_EQ(dirs[0], data.lexically_normal());
  EXPECT_EQ(dirs[1], fs::path("/nonexistent/suanli"));
  EXPECT_EQ(resolve_suite("fixture"), data.lexically_normal() / "fixture.toml");
  EXPECT_EQ(load_suite_file(resolve_suite("fixture")).cases.size(), 1U);
  const auto names = available_suites();
  EXPECT_NE(std::find(names.begin(), names.end(), "fixture"), names.end());
  EXPECT_NE(std::find(names.begin(), names.end(), "quick"), names.end());
}

TEST_F(SuiteResolve, PathsAreTakenAsGiven) {
  const fs::path fixture = data / "fixture.toml";
  EXPECT_EQ(resolve_suite(fixture.string()), fixture);
  const std::string missing = error_of([] { (void)resolve_suite("missing.toml"); });
  EXPECT_EQ(missing, "cannot read suite file missing.toml: No such file or directory");
  const std::string dir = error_of([] { (void)resolve_suite(data.string()); });
  EXPECT_EQ(dir, "cannot read suite file " + data.string() + ": Is a directory");
}

TEST_F(SuiteResolve, UnreadableFilesAreBadInput) {
  const fs::path missing = data / "missing.toml";
  EXPECT_EQ(error_of([&] { (void)load_suite_file(missing); }),
            "cannot read suite file " + missing.string() + ": No such file or directory");
  EXPECT_EQ(error_of([&] { (void)load_suite_file(data); }),
            "cannot read suite file " + data.string() + ": Is a directory");
}

TEST_F(SuiteResolve, FileErrorsNameTheFileLineAndColumn) {
  const fs::path misnamed = data / "misnamed.toml";
  const std::string m1 = error_of([&] { (void)load_suite_file(misnamed); });
  EXPECT_EQ(m1.rfind(misnamed.string() + ":3:8: suite name 'other' differs from its file name "
                                         "'misnamed.toml'; expected name = \"misnamed\"",
                     0),
            0U)
      << m1;
  const fs::path bad_dim = data / "bad_dim.toml";
  const std::string m2 = error_of([&] { (void)load_suite_file(bad_dim); });
  EXPECT_EQ(m2.rfind(bad_dim.string() + ":7:15: ", 0), 0U) << m2;
  EXPECT_TRUE(contains(m2, "m = 3000000000 overflows")) << m2;
}

} // namespace
