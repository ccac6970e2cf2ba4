#include <reports/secret.hpp>

#include <bench/error.hpp>

#include <openssl/crypto.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace suanli::reports {
namespace {

namespace fs = std::filesystem;

std::string octal_mode(mode_t mode) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%04o", static_cast<unsigned>(mode & 07777));
  return buf;
}

[[noreturn]] void fail_unreadable(std::string_view what, const fs::path &path, int err) {
  bench::fail_input("cannot read " + std::string(what) + " " + path.string() + ": " +
                    std::strerror(err));
}

[[noreturn]] void fail_file(std::string_view what, const fs::path &path, const std::string &why) {
  bench::fail_input(std::string(what) + " " + path.string() + " " + why);
}

/// Closes a file descriptor when it goes out of scope.
struct fd_guard {
  int fd;
  explicit fd_guard(int f) : fd(f) {}
  fd_guard(const fd_guard &) = delete;
  fd_guard &operator=(const fd_guard &) = delete;
  ~fd_guard() {
    if (fd >= 0) {
      ::close(fd);
    }
  }
};

} // namespace

secret_string::~secret_string() {
  wipe();
}

void secret_string::wipe() noexcept {
  if (bytes.capacity() > 0) {
    bytes.resize(bytes.capacity());
    OPENSSL_cleanse(bytes.data(), bytes.size());
  }
  bytes.clear();
}

void read_secret_file(const fs::path &path, std::string_view what, secret_string &out) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) {
    fail_unreadable(what, path, errno);
  }
  if (S_ISLNK(st.st_mode)) {
    fail_file(what, path, "is a symbolic link; give the path of the file itself");
  }
  const fd_guard file{::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC)};
  if (file.fd < 0) {
    fail_unreadable(what, path, errno);
  }
  if (::fstat(file.fd, &st) != 0) {
    fail_unreadable(what, path, errno);
  }
  if (!S_ISREG(st.st_mode)) {
    fail_file(what, path, "is not a regular file");
  }
  if ((st.st_mode & 077) != 0) {
    fail_file(what, path,
              "has mode " + octal_mode(st.st_mode) +
                  "; it must not be readable by group or others (chmod 600 " + path.string() + ")");
  }
  // Read straight into the secret's own buffer: no stack copy, no reallocation.
  out.wipe();
  out.bytes.resize(max_secret_file_bytes + 1);
  std::size_t used = 0;
  while (used < out.bytes.size()) {
    const ssize_t n = ::read(file.fd, out.bytes.data() + used, out.bytes.size() - used);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n < 0) {
      const int err = errno;
      out.wipe();
      fail_unreadable(what, path, err);
    }
    if (n == 0) {
      break;
    }
    used += static_cast<std::size_t>(n);
  }
  if (used > max_secret_file_bytes) {
    out.wipe();
    fail_file(what, path,
              "is larger than " + std::to_string(max_secret_file_bytes) +
                  " bytes, too large for a " + std::string(what));
  }
  OPENSSL_cleanse(out.bytes.data() + used, out.bytes.size() - used);
  out.bytes.resize(used);
}

} // namespace suanli::reports
