// `suanli devices --db` and the database's part in run reports, end to end.

#include "cli_support.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace suanli::test {
namespace {

TEST(cli_devices, db_lists_every_entry_with_its_peaks_and_the_conventions) {
  const auto r = run_suanli("devices --db");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const char *id : {"nvidia-h100-sxm", "nvidia-h100-pcie", "ascend-910b3", "amd-mi300x",
                         "cambricon-mlu590", "kunlunxin-p800", "hygon-k100", "iluvatar-bi150"}) {
    EXPECT_NE(r.out.find(id), std::string::npos) << id << "\n" << r.out;
  }
  EXPECT_NE(r.out.find("29 devices from 10 files"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("n/p = not published"), std::string::npos) << r.out;
}

TEST(cli_devices, each_device_shows_its_database_match_or_why_none) {
  const auto r = run_suanli("devices");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("database entry  "), std::string::npos) << r.out;
}

TEST(cli_devices, each_backend_ends_with_its_link_matrix_or_why_there_is_none) {
  const auto r = run_suanli("devices");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // The CPU backend has one device: a line saying so, no matrix.
  EXPECT_NE(r.out.find("  links           none: 1 device, no pair to link\n"), std::string::npos)
      << r.out;
}

TEST(cli_devices, an_invalid_database_is_refused_with_file_and_line) {
  const auto dir = std::filesystem::temp_directory_path() / "suanli_bad_db";
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "bad.toml") << "[vendor]\nname = \"Acme\"\n[[device]]\nid = 3\n";
  const auto r = run_suanli("devices --db --device-db " + dir.string());
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_NE(r.err.find("bad.toml:"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find('\n'), r.err.size() - 1) << "one line: " << r.err;
  std::filesystem::remove_all(dir);
}

} // namespace
} // namespace suanli::test
