#pragma once
// Helpers shared by the suite parser tests (tests/suite_*.cpp).
#include <bench/error.hpp>
#include <bench/suite.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <stdexcept>
#include <string>

namespace suanli::bench::suite_test {

/// Lines 1 and 2 of the texts of error tests; a case table then starts on line 3.
inline const std::string head = "[suite]\nname = \"t\"\n";

/// The one-line message of the bench::error (exit 2) that parsing text as "t.toml" throws; a test
/// failure when it throws none.
inline std::string error_of(const std::string &text) {
  try {
    (void)parse_suite(text, "t.toml");
  } catch (const error &e) {
    EXPECT_EQ(e.code(), exit_code::bad_input) << e.what();
    const std::string message = e.what();
    EXPECT_EQ(message.find('\n'), std::string::npos) << message;
    return message;
  }
  ADD_FAILURE() << "no error for:\n" << text;
  return {};
}

/// Expect the error at "t.toml:<where>: " saying what, and saying what was expected.
inline void expect_error(const std::string &text, const std::string &where,
                         const std::string &what) {
  const std::string message = error_of(text);
  EXPECT_EQ(message.rfind("t.toml:" + where + ": ", 0), 0U) << message;
  EXPECT_NE(message.find(what), std::string::npos) << message;
  EXPECT_NE(message.find("; expected "), std::string::npos) << message;
}

/// The case of s named name; throws when there is none.
inline const suite_case &find_case(const suite &s, const std::string &name) {
  const auto it = std::find_if(s.cases.begin(), s.cases.end(),
                               [&](const suite_case &c) { return c.name == name; });
  if (it == s.cases.end()) {
    throw std::runtime_error("no case " + name);
  }
  return *it;
}

/// Names of the cases of s, in order.
inline std::vector<std::string> case_names(const suite &s) {
  std::vector<std::string> names;
  for (const auto &c : s.cases) {
    names.push_back(c.name);
  }
  return names;
}

} // namespace suanli::bench::suite_test
