#include "sign_support.hpp"

#include <reports/atomic_file.hpp>

#include <gtest/gtest.h>

#include <sys/stat.h>

namespace suanli::reports {
namespace {

using sign_test::capture_error;
using sign_test::file_mode;
using sign_test::read_text;
using sign_test::scratch_dir;
using sign_test::write_text;

/// Names in a folder.
std::vector<std::string> entries(const std::filesystem::path &dir) {
  std::vector<std::string> names;
  for (const auto &e : std::filesystem::directory_iterator(dir)) {
    names.push_back(e.path().filename().string());
  }
  return names;
}

/// Sets the umask for the life of the object.
struct umask_guard {
  mode_t saved;
  explicit umask_guard(mode_t mask) : saved(::umask(mask)) {}
  umask_guard(const umask_guard &) = delete;
  umask_guard &operator=(const umask_guard &) = delete;
  ~umask_guard() { ::umask(saved); }
};

TEST(SignAtomicFile, WritesBytesWithExactModeWhateverTheUmask) {
  const scratch_dir dir;
  const umask_guard mask(077);
  write_file_atomic(dir / "r.json", std::string("a\0b", 3), 0644);
  EXPECT_EQ(read_text(dir / "r.json"), std::string("a\0b", 3));
  EXPECT_EQ(file_mode(dir / "r.json"), 0644U);
  write_file_atomic(dir / "p.key", "secret", 0600);
  EXPECT_EQ(file_mode(dir / "p.key"), 0600U);
  EXPECT_EQ(entries(dir.path()).size(), 2U) << "no temporary file is left behind";
}

TEST(SignAtomicFile, ReplacesAnExistingFile) {
  const scratch_dir dir;
  write_file_atomic(dir / "r.json", "old");
  write_file_atomic(dir / "r.json", "new");
  EXPECT_EQ(read_text(dir / "r.json"), "new");
  EXPECT_EQ(entries(dir.path()).size(), 1U);
}

TEST(SignAtomicFile, RefuseExistingKeepsTheOldFile) {
  const scratch_dir dir;
  write_file_atomic(dir / "r.json", "old");
  const auto err = capture_error(
      [&] { write_file_atomic(dir / "r.json", "new", 0644, overwrite_policy::refuse_existing); });
  ASSERT_TRUE(err.has_value());
  EXPECT_EQ(err->code(), bench::exit_code::bad_input);
  EXPECT_NE(std::string(err->what()).find((dir / "r.json").string()), std::string::npos);
  EXPECT_EQ(read_text(dir / "r.json"), "old");
  EXPECT_EQ(entries(dir.path()).size(), 1U);

  write_file_atomic(dir / "fresh", "x", 0644, overwrite_policy::refuse_existing);
  EXPECT_EQ(read_text(dir / "fresh"), "x");
  EXPECT_EQ(entries(dir.path()).size(), 2U);
}

TEST(SignAtomicFile, MissingFolderIsAnEnvironmentErrorNamingThePath) {
  const scratch_dir dir;
  const auto target = dir / "no-such-dir" / "r.json";
  const auto err = capture_error([&] { write_file_atomic(target, "x"); });
  ASSERT_TRUE(err.has_value());
  EXPECT_EQ(err->code(), bench::exit_code::environment);
  const std::string message = err->what();
  EXPECT_NE(message.find(target.string()), std::string::npos) << message;
  EXPECT_NE(message.find("No such file or directory"), std::string::npos) << message;
}

TEST(SignAtomicFile, AFolderAsTargetIsBadInputAndLeavesNoTemporaryFile) {
  const scratch_dir dir;
  std::filesystem::create_directory(dir / "occupied");
  std::filesystem::create_directory(dir / "occupied" / "inside");
  const auto err = capture_error([&] { write_file_atomic(dir / "occupied", "x"); });
  ASSERT_TRUE(err.has_value());
  EXPECT_EQ(err->code(), bench::exit_code::bad_input);
  EXPECT_EQ(std::string(err->what()),
            (dir / "occupied").string() + " is a folder; expected a file name");
  EXPECT_EQ(entries(dir.path()).size(), 1U);
  EXPECT_EQ(entries(dir / "occupied").size(), 1U);
}

TEST(SignAtomicFile, ASymlinkIsReplacedNeverWrittenThrough) {
  const scratch_dir dir;
  write_text(dir / "victim", "keep");
  std::filesystem::create_symlink(dir / "victim", dir / "out.html");
  write_file_atomic(dir / "out.html", "new");
  EXPECT_FALSE(std::filesystem::is_symlink(dir / "out.html"));
  EXPECT_EQ(read_text(dir / "out.html"), "new");
  EXPECT_EQ(read_text(dir / "victim"), "keep");
  EXPECT_EQ(entries(dir.path()).size(), 2U);

  // refuse_existing (key files): a symbolic link, even a dangling one, is never followed.
  std::filesystem::create_symlink(dir / "nowhere", dir / "k.key");
  const auto err = capture_error(
      [&] { write_file_atomic(dir / "k.key", "secret", 0600, overwrite_policy::refuse_existing); });
  ASSERT_TRUE(err.has_value());
  EXPECT_EQ(err->code(), bench::exit_code::bad_input);
  EXPECT_FALSE(std::filesystem::exists(dir / "nowhere"));
}

TEST(SignAtomicFile, ReadFileReturnsBytesOrNamesWhatAndPath) {
  const scratch_dir dir;
  write_file_atomic(dir / "r.json", "content");
  EXPECT_EQ(read_file(dir / "r.json", "report"), "content");
  const auto err = capture_error([&] { (void)read_file(dir / "missing.json", "report"); });
  ASSERT_TRUE(err.has_value());
  EXPECT_EQ(err->code(), bench::exit_code::bad_input);
  EXPECT_EQ(std::string(err->what()), "cannot read report " + (dir / "missing.json").string() +
                                          ": No such file or directory");
  const auto dir_err = capture_error([&] { (void)read_file(dir.path(), "report"); });
  ASSERT_TRUE(dir_err.has_value());
  EXPECT_EQ(dir_err->code(), bench::exit_code::bad_input);
}

} // namespace
} // namespace suanli::reports
