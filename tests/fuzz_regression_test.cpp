// Replays fuzz/regressions/<target>/* and fuzz/corpus/<target>/* through the fuzz entry
// functions (fuzz/entry_points.hpp): a crash, sanitizer report or escaping exception fails it.
#include <entry_points.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;

const char *const targets[] = {"suite_toml",   "claims_toml", "devices_toml", "report_verify",
                               "report_audit", "challenge",   "pem_key",      "device_props"};

// The files of fuzz/<kind>/<target>, sorted (none when the folder does not exist).
std::vector<fs::path> inputs(const char *kind, const std::string &target) {
  std::vector<fs::path> out;
  const fs::path dir = fs::path(SUANLI_FUZZ_DIR) / kind / target;
  std::error_code ec;
  for (const auto &e : fs::directory_iterator(dir, ec)) {
    if (e.is_regular_file()) {
      out.push_back(e.path());
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::string read_bytes(const fs::path &p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

class fuzz_regression : public ::testing::TestWithParam<const char *> {};

TEST_P(fuzz_regression, replays_kept_inputs_and_seeds) {
  const std::string target = GetParam();
  const auto entry = suanli::fuzz::find_entry(target);
  ASSERT_NE(entry, nullptr) << target;
  size_t replayed = 0;
  for (const char *kind : {"regressions", "corpus"}) {
    for (const auto &p : inputs(kind, target)) {
      SCOPED_TRACE(p.string());
      const auto bytes = read_bytes(p);
      EXPECT_NO_THROW(entry(reinterpret_cast<const uint8_t *>(bytes.data()), bytes.size()));
      ++replayed;
    }
  }
  const std::string empty;
  EXPECT_NO_THROW(entry(reinterpret_cast<const uint8_t *>(empty.data()), 0));
  EXPECT_GT(replayed, 0U) << "no seed or regression input for " << target;
}

INSTANTIATE_TEST_SUITE_P(targets, fuzz_regression, ::testing::ValuesIn(targets),
                         [](const auto &p) { return std::string(p.param); });

} // namespace
