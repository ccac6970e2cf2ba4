// Loading the database files and the checks across entries (unique ids, models, names, PCI ids).
#include <devices/database.hpp>

#include <devices/match.hpp>
#include <devices/toml_reader.hpp>

#include <bench/error.hpp>
#include <bench/suite.hpp>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <map>
#include <memory>
#include <sys/stat.h>

namespace suanli::devices {
namespace {

namespace fs = std::filesystem;

[[noreturn]] void fail_unreadable(const fs::path &path, int err) {
  bench::fail_input("cannot read device database " + path.string() + ": " + std::strerror(err));
}

std::string read_text(const fs::path &path) {
  errno = 0;
  const std::unique_ptr<std::FILE, int (*)(std::FILE *)> file(std::fopen(path.c_str(), "rb"),
                                                              &std::fclose);
  if (!file) {
    fail_unreadable(path, errno);
  }
  std::string text;
  char buffer[65536];
  size_t got = 0;
  while ((got = std::fread(buffer, 1, sizeof buffer, file.get())) > 0) {
    text.append(buffer, got);
  }
  if (std::ferror(file.get()) != 0) {
    fail_unreadable(path, errno != 0 ? errno : EIO);
  }
  return text;
}

// Fails when key was already claimed by another entry: "<e.origin>: device 'id': <what> ...".
class unique_check {
public:
  unique_check(std::string what, std::string expected)
      : what_(std::move(what)), expected_(std::move(expected)) {}

  void claim(const std::string &key, const std::string &shown, const device_entry &e) {
    const auto [it, fresh] = owners_.emplace(key, &e);
    if (!fresh) {
      const device_entry &first = *it->second;
      const std::string owner = first.id == e.id ? "" : " (device '" + first.id + "')";
      bench::fail_input(e.origin + ": device '" + e.id + "': " + what_ + " '" + shown +
                        "' is already used at " + first.origin + owner + "; expected " + expected_);
    }
  }

private:
  std::string what_;
  std::string expected_;
  std::map<std::string, const device_entry *> owners_;
};

void check_across(const database &db) {
  unique_check ids("id", "unique device ids");
  unique_check models("model", "one entry per vendor and model");
  unique_check names("device name",
                     "each device name in one entry (names compare in compact form: case, "
                     "spaces and punctuation ignored)");
  unique_check pci("PCI id", "each PCI id in one entry");
  for (const auto &e : db.entries) {
    ids.claim(e.id, e.id, e);
    models.claim(compact_name(e.vendor) + "/" + compact_name(e.model), e.model, e);
    for (const auto &n : e.names) {
      names.claim(compact_name(n), n, e);
    }
    for (const auto &p : e.pci_ids) {
      pci.claim(p, p, e);
    }
  }
}

} // namespace

const device_entry *database::find(std::string_view id) const {
  const auto it = std::find_if(entries.begin(), entries.end(),
                               [&](const device_entry &e) { return e.id == id; });
  return it == entries.end() ? nullptr : &*it;
}

database parse(const std::vector<named_text> &files) {
  database db;
  for (const auto &f : files) {
    auto entries = detail::read_file(f.text, f.source);
    std::move(entries.begin(), entries.end(), std::back_inserter(db.entries));
    db.files.push_back(f.source);
  }
  check_across(db);
  return db;
}

database parse(std::string_view text, const std::string &source) {
  return parse(std::vector<named_text>{{std::string(text), source}});
}

database load(const fs::path &path) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) {
    fail_unreadable(path, errno);
  }
  std::vector<fs::path> paths;
  if (S_ISDIR(info.st_mode)) {
    std::error_code ec;
    for (fs::directory_iterator it(path, ec), end; !ec && it != end; it.increment(ec)) {
      std::error_code type_ec;
      if (it->path().extension() == ".toml" && it->is_regular_file(type_ec)) {
        paths.push_back(it->path());
      }
    }
    if (ec) {
      fail_unreadable(path, ec.value());
    }
    if (paths.empty()) {
      bench::fail_input("device database folder " + path.string() +
                        " has no .toml files; expected one file per vendor "
                        "(suites/devices/README.md)");
    }
    std::sort(paths.begin(), paths.end());
  } else {
    paths.push_back(path);
  }
  std::vector<named_text> files;
  for (const auto &p : paths) {
    files.push_back({read_text(p), p.string()});
  }
  return parse(files);
}

fs::path default_path() {
  std::string searched;
  for (const auto &dir : bench::suite_search_dirs()) {
    const fs::path candidate = dir / "devices";
    std::error_code ec;
    if (fs::is_directory(candidate, ec)) {
      return candidate;
    }
    searched += (searched.empty() ? "" : ", ") + candidate.string();
  }
  bench::fail_environment("no device database found (searched: " + searched +
                          "); expected the suites/devices folder installed with suanli");
}

} // namespace suanli::devices
