#include "backend_choice.hpp"

#include <bench/error.hpp>

namespace suanli::tools {

std::shared_ptr<host::plugin_backend>
choose_backend(const std::vector<host::backend_entry> &entries, const std::string &name) {
  std::string found;
  for (const auto &e : entries) {
    found += (found.empty() ? "" : ", ") + e.name;
  }
  const std::string wanted = name.empty() ? "cpu" : name;
  for (const auto &e : entries) {
    if (e.name == wanted && e.available) {
      return e.backend;
    }
  }
  for (const auto &e : entries) {
    if (e.name == wanted) {
      bench::fail_environment("backend " + wanted + " (" + e.file.string() +
                              ") is unavailable: " + e.reason);
    }
  }
  if (name.empty()) {
    for (const auto &e : entries) {
      if (e.available) {
        return e.backend;
      }
    }
    bench::fail_environment("no backend is available (found: " +
                            (found.empty() ? std::string("none") : found) +
                            "); see `suanli list` and --backend-path");
  }
  bench::fail_input("unknown backend '" + name + "'; found: " +
                    (found.empty() ? std::string("none") : found));
}

} // namespace suanli::tools
