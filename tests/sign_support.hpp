#pragma once

// Helpers shared by the sign_* tests: a scratch folder and error capture.

#include <bench/error.hpp>

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <optional>
#include <string>

namespace suanli::sign_test {

/// A fresh folder under the system temp folder, removed with everything in it.
class scratch_dir {
public:
  scratch_dir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "suanli-sign-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) {
      throw std::runtime_error("mkdtemp failed");
    }
    path_ = pattern;
  }
  scratch_dir(const scratch_dir &) = delete;
  scratch_dir &operator=(const scratch_dir &) = delete;
  ~scratch_dir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  /// The folder.
  [[nodiscard]] const std::filesystem::path &path() const { return path_; }
  /// A path inside the folder.
  [[nodiscard]] std::filesystem::path operator/(const std::string &name) const {
    return path_ / name;
  }

private:
  std::filesystem::path path_;
};

/// The bench::error thrown by `f`, or nullopt if it threw none.
inline std::optional<bench::error> capture_error(const std::function<void()> &f) {
  try {
    f();
  } catch (const bench::error &e) {
    return e;
  }
  return std::nullopt;
}

/// Writes a file the plain way (test fixtures only).
inline void write_text(const std::filesystem::path &path, const std::string &bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << bytes;
}

/// Reads a file the plain way (test fixtures only).
inline std::string read_text(const std::filesystem::path &path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

/// Mode bits (07777) of a file.
inline unsigned file_mode(const std::filesystem::path &path) {
  return static_cast<unsigned>(std::filesystem::status(path).permissions()) & 07777U;
}

} // namespace suanli::sign_test
