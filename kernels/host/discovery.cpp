#include <kernels/host/discovery.hpp>

#include <bench/build_info.hpp>
#include <bench/error.hpp>

#include <algorithm>
#include <cstdlib>
#include <sstream>

namespace suanli::host {
namespace {

namespace fs = std::filesystem;

void split_into(const std::string &list, std::vector<fs::path> &out) {
  std::stringstream ss(list);
  std::string item;
  while (std::getline(ss, item, ':')) {
    if (!item.empty()) {
      out.emplace_back(item);
    }
  }
}

bool is_plugin_name(const fs::path &p) {
  const std::string f = p.filename().string();
  return f.starts_with("libsuanli-") && f.ends_with(".so");
}

// Load and initialise one plugin; errors become an unavailable entry unless `strict`.
backend_entry load_one(const fs::path &file, const backend_options &options, bool strict) {
  backend_entry e;
  e.file = file;
  e.name = file.stem().string();
  if (e.name.starts_with("libsuanli-")) {
    e.name = e.name.substr(10);
  }
  try {
    auto lib = plugin_library::open(file);
    e.name = lib.api().name;
    e.backend = std::make_shared<plugin_backend>(std::move(lib), options);
    const auto devs = e.backend->devices();
    e.available = !devs.empty();
    if (!e.available) {
      e.reason = "no device present";
    }
  } catch (const bench::error &err) {
    if (strict) {
      throw;
    }
    e.backend.reset();
    e.reason = err.what();
  }
  return e;
}

} // namespace

std::vector<fs::path> backend_search_path(const std::vector<std::string> &explicit_entries) {
  std::vector<fs::path> out;
  for (const auto &entry : explicit_entries) {
    split_into(entry, out);
  }
  if (const char *env = std::getenv("SUANLI_BACKEND_PATH")) {
    split_into(env, out);
  }
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    out.push_back(exe.parent_path().parent_path() / bench::backend_subdir);
  }
  return out;
}

std::vector<backend_entry> discover_backends(const std::vector<std::string> &explicit_entries,
                                             const backend_options &options) {
  std::vector<backend_entry> out;
  const auto add = [&](backend_entry e) {
    const auto same = std::find_if(out.begin(), out.end(), [&](const backend_entry &x) {
      return x.name == e.name && (x.backend != nullptr || x.file == e.file);
    });
    if (same != out.end()) {
      if (same->file != e.file) {
        e.available = false;
        e.backend.reset();
        e.reason = "shadowed by " + same->file.string();
        out.push_back(std::move(e));
      }
      return;
    }
    out.push_back(std::move(e));
  };
  for (const auto &entry : backend_search_path(explicit_entries)) {
    std::error_code ec;
    if (fs::is_directory(entry, ec)) {
      std::vector<fs::path> files;
      for (const auto &f : fs::directory_iterator(entry, ec)) {
        if (is_plugin_name(f.path())) {
          files.push_back(f.path());
        }
      }
      std::sort(files.begin(), files.end());
      for (const auto &f : files) {
        add(load_one(f, options, false));
      }
    } else if (fs::exists(entry, ec)) {
      add(load_one(entry, options, true));
    } else if (std::find(explicit_entries.begin(), explicit_entries.end(), entry.string()) !=
               explicit_entries.end()) {
      bench::fail_input("--backend-path " + entry.string() + " does not exist");
    }
  }
  return out;
}

} // namespace suanli::host
