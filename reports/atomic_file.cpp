#include <reports/atomic_file.hpp>

#include <bench/error.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <random>

namespace suanli::reports {
namespace {

namespace fs = std::filesystem;

std::string errno_text(int err) {
  return std::strerror(err);
}

[[noreturn]] void fail_io(const std::string &what, const fs::path &path, int err) {
  bench::fail_environment(what + " " + path.string() + ": " + errno_text(err));
}

/// Owns a file descriptor.
class unique_fd {
public:
  explicit unique_fd(int fd) : fd_(fd) {}
  unique_fd(const unique_fd &) = delete;
  unique_fd &operator=(const unique_fd &) = delete;
  ~unique_fd() {
    if (fd_ >= 0) {
      ::close(fd_);
    }
  }
  [[nodiscard]] int get() const { return fd_; }

private:
  int fd_;
};

/// A temporary file beside the target, removed on destruction unless released.
class temp_file {
public:
  temp_file(const fs::path &target, mode_t mode) {
    const fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
    std::random_device rd;
    for (int attempt = 0; attempt < 16; ++attempt) {
      path_ = dir / ("." + target.filename().string() + ".tmp-" + std::to_string(::getpid()) + "-" +
                     std::to_string(rd()));
      fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
      if (fd_ >= 0 || errno != EEXIST) {
        break;
      }
    }
    if (fd_ < 0) {
      fail_io("cannot write", target, errno);
    }
    created_ = true;
  }
  temp_file(const temp_file &) = delete;
  temp_file &operator=(const temp_file &) = delete;
  ~temp_file() {
    if (fd_ >= 0) {
      ::close(fd_);
    }
    if (created_) {
      ::unlink(path_.c_str());
    }
  }
  [[nodiscard]] int fd() const { return fd_; }
  [[nodiscard]] const fs::path &path() const { return path_; }
  /// Closes the descriptor; returns close(2)'s errno (0 on success).
  int close_fd() {
    const int rc = ::close(fd_);
    fd_ = -1;
    return rc == 0 ? 0 : errno;
  }
  /// The file now lives on under another name (or was removed already): do not unlink it.
  void release() { created_ = false; }

private:
  fs::path path_;
  int fd_ = -1;
  bool created_ = false;
};

void write_all(int fd, std::string_view bytes, const fs::path &target) {
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0) {
      if (errno == EINTR) {
        continue;
      }
      fail_io("cannot write", target, errno);
    }
    bytes.remove_prefix(static_cast<size_t>(n));
  }
}

/// Best effort: make the rename durable. A folder that cannot be synced (some file systems
/// refuse) does not undo a completed write, so errors are ignored here.
void sync_folder(const fs::path &target) {
  const fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
  unique_fd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (fd.get() >= 0) {
    ::fsync(fd.get());
  }
}

[[noreturn]] void fail_exists(const fs::path &target) {
  bench::fail_input("refusing to overwrite existing file " + target.string() +
                    "; remove it or choose another name");
}

/// Moves `tmp` to `target` without ever replacing an existing file.
void publish_no_replace(temp_file &tmp, const fs::path &target) {
  if (::link(tmp.path().c_str(), target.c_str()) == 0) {
    return; // the temporary name is unlinked by temp_file's destructor
  }
  const int link_err = errno;
  if (link_err == EEXIST) {
    fail_exists(target);
  }
  // File systems without hard links: an atomic rename that refuses to replace.
  if (::renameat2(AT_FDCWD, tmp.path().c_str(), AT_FDCWD, target.c_str(), RENAME_NOREPLACE) == 0) {
    tmp.release();
    return;
  }
  if (errno == EEXIST) {
    fail_exists(target);
  }
  fail_io("cannot create", target, link_err);
}

} // namespace

void write_file_atomic(const fs::path &path, std::string_view bytes, mode_t mode,
                       overwrite_policy policy) {
  if (struct stat st{}; ::lstat(path.c_str(), &st) == 0) {
    if (policy == overwrite_policy::refuse_existing) {
      fail_exists(path); // early, clear answer; publish_no_replace closes the race
    }
    if (S_ISDIR(st.st_mode)) {
      bench::fail_input(path.string() + " is a folder; expected a file name");
    }
  }
  temp_file tmp(path, mode);
  if (::fchmod(tmp.fd(), mode) != 0) { // exact mode, whatever the umask
    fail_io("cannot set the mode of", path, errno);
  }
  write_all(tmp.fd(), bytes, path);
  if (::fsync(tmp.fd()) != 0) {
    fail_io("cannot flush", path, errno);
  }
  if (const int err = tmp.close_fd(); err != 0) {
    fail_io("cannot write", path, err);
  }
  if (policy == overwrite_policy::refuse_existing) {
    publish_no_replace(tmp, path);
  } else {
    if (::rename(tmp.path().c_str(), path.c_str()) != 0) {
      fail_io("cannot replace", path, errno);
    }
    tmp.release();
  }
  sync_folder(path);
}

std::string read_all(int fd, const fs::path &path, std::string_view what) {
  std::string out;
  std::array<char, 65536> buf{};
  for (;;) {
    const ssize_t n = ::read(fd, buf.data(), buf.size());
    if (n < 0) {
      if (errno == EINTR) {
        continue;
      }
      bench::fail_input("cannot read " + std::string(what) + " " + path.string() + ": " +
                        errno_text(errno));
    }
    if (n == 0) {
      return out;
    }
    out.append(buf.data(), static_cast<size_t>(n));
  }
}

std::string read_file(const fs::path &path, std::string_view what) {
  unique_fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) {
    bench::fail_input("cannot read " + std::string(what) + " " + path.string() + ": " +
                      errno_text(errno));
  }
  return read_all(fd.get(), path, what);
}

} // namespace suanli::reports
