// suites/README.md stays true: its examples parse, its error messages are the real ones, its
// case counts are those of the shipped suites, and it states the attention FLOP convention.
#include <bench/attention_problem.hpp>
#include <bench/error.hpp>
#include <bench/suite.hpp>

#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <sstream>

namespace {

using namespace suanli::bench;
namespace fs = std::filesystem;

const fs::path suites_dir = fs::path(SUANLI_SOURCE_DIR) / "suites";

std::string readme() {
  std::ifstream in(suites_dir / "README.md");
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// A fenced block of the README: its language ("toml" or empty) and text.
struct block {
  std::string lang, text;
};

std::vector<block> blocks(const std::string &text) {
  std::vector<block> out;
  std::istringstream in(text);
  std::string line;
  block *open = nullptr;
  while (std::getline(in, line)) {
    if (line.rfind("```", 0) == 0) {
      if (open == nullptr) {
        out.push_back({line.substr(3), ""});
        open = &out.back();
      } else {
        open = nullptr;
      }
    } else if (open != nullptr) {
      open->text += line + "\n";
    }
  }
  EXPECT_EQ(open, nullptr) << "unclosed block";
  return out;
}

TEST(SuiteReadme, ExamplesParseAndErrorsAreTheRealMessages) {
  const auto all = blocks(readme());
  int parsed = 0, failed = 0;
  for (size_t i = 0; i < all.size(); ++i) {
    if (all[i].lang != "toml") {
      continue;
    }
    const bool is_error = i + 1 < all.size() && all[i + 1].lang.empty();
    if (!is_error) {
      // fragments get a [suite] table of their own
      const std::string text = all[i].text.find("[suite]") == std::string::npos
                                   ? "[suite]\nname = \"example\"\n" + all[i].text
                                   : all[i].text;
      EXPECT_FALSE(parse_suite(text, "example.toml").cases.empty()) << all[i].text;
      ++parsed;
      continue;
    }
    std::string expected = all[i + 1].text;
    expected.pop_back(); // the block's final newline
    const std::string source = expected.substr(0, expected.find(':'));
    try {
      (void)parse_suite(all[i].text, source);
      ADD_FAILURE() << "no error for:\n" << all[i].text;
    } catch (const error &e) {
      EXPECT_EQ(e.code(), exit_code::bad_input);
      EXPECT_EQ(std::string(e.what()), expected);
    }
    ++failed;
  }
  EXPECT_GE(parsed, 4);
  EXPECT_EQ(failed, 2);
}

TEST(SuiteReadme, CaseCountsAreThoseOfTheShippedSuites) {
  const std::string text = readme();
  const std::regex row(R"(\| `([a-z0-9_-]+)` \| ([0-9]+) \|)");
  int rows = 0;
  for (std::sregex_iterator it(text.begin(), text.end(), row), end; it != end; ++it) {
    const suite s = load_suite_file(suites_dir / ((*it)[1].str() + ".toml"));
    EXPECT_EQ(s.cases.size(), std::stoul((*it)[2].str())) << s.name;
    ++rows;
  }
  size_t shipped = 0;
  for (const auto &entry : fs::directory_iterator(suites_dir)) {
    shipped += entry.path().extension() == ".toml" ? 1 : 0;
  }
  EXPECT_EQ(static_cast<size_t>(rows), shipped);
}

TEST(SuiteReadme, StatesTheAttentionFlopConvention) {
  const std::string text = readme();
  EXPECT_NE(text.find(std::string(attention_flops_convention)), std::string::npos);
  EXPECT_NE(text.find("`" + std::string(attention_flops_convention_text) + "`"), std::string::npos);
}

} // namespace
