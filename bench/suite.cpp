// Suite files: parsing the [suite] table, reading files, finding suites by
// name.
#include <bench/suite.hpp>

#include <bench/build_info.hpp>
#include <bench/error.hpp>
#include <bench/sha256.hpp>
#include <bench/suite_toml.hpp>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <sys/stat.h>

namespace suanli::bench {
namespace {

namespace fs = std::filesystem;
using suite_detail::reader;
using expand_fn = void (*)(const reader &, const toml::table &, const measure_policy &,
                           std::vector<suite_detail::expanded_case> &);

// The case tables a suite may hold: top-level key and its expansion.
struct case_kind {
  std::string_view key;
  expand_fn expand;
};
constexpr case_kind case_kinds[] = {{"gemm", &suite_detail::expand_gemm},
                                    {"attention", &suite_detail::expand_attention},
                                    {"collective", &suite_detail::expand_collective}};

std::string one_line(std::string_view text) {
  std::string s(text);
  std::replace(s.begin(), s.end(), '\n', ' ');
  return s;
}

// expected_name: the file stem the [suite] name must equal (nullptr for
// in-memory text).
suite parse(std::string_view text, const std::string &source, const std::string *expected_name) {
  const reader r(source);
  toml::table doc;
  try {
    doc = toml::parse(text, source);
  } catch (const toml::parse_error &e) {
    r.fail(e.source(), "TOML syntax error: " + one_line(e.description()),
           "valid TOML 1.0 (https://toml.io/en/v1.0.0)");
  }
  r.check_keys(doc, "the top level", {"suite", "gemm", "attention", "collective", "certify"});
  const auto *suite_node = doc.get("suite");
  if (suite_node == nullptr) {
    r.fail({}, "missing [suite] table", "[suite] with name = \"...\" at the top of the file");
  }
  const auto &head = r.table(*suite_node, "'suite'");
  r.check_keys(head, "[suite]", {"name", "description", "measure"});

  suite s;
  const auto *name_node = head.get("name");
  if (name_node == nullptr) {
    r.fail(head.source(), "[suite] has no 'name'",
           "name = \"" + (expected_name != nullptr ? *expected_name : "...") + "\"");
  }
  s.name = r.identifier(*name_node, "'name' in [suite]");
  if (expected_name != nullptr && s.name != *expected_name) {
    r.fail(name_node->source(),
           "suite name '" + s.name + "' differs from its file name '" + *expected_name + ".toml'",
           "name = \"" + *expected_name + "\"");
  }
  if (const auto *node = head.get("description")) {
    s.description = r.string(*node, "'description' in [suite]");
  }
  if (const auto *node = head.get("measure")) {
    s.policy = r.policy(r.table(*node, "'measure' in [suite]"), "[suite.measure]", s.policy);
  }

  if (const auto *node = doc.get("certify")) {
    s.criteria = suite_detail::read_criteria(r, r.table(*node, "'certify'"));
  }

  // Case tables of every kind, expanded in file order.
  struct case_table {
    const toml::table *table;
    expand_fn expand;
  };
  std::vector<case_table> tables;
  for (const auto &kind : case_kinds) {
    if (const auto *node = doc.get(kind.key)) {
      const std::string key(kind.key);
      const auto &list =
          r.array(*node, "'" + key + "'", "[[" + key + "]] tables (an array of tables)");
      for (const auto &entry : list) {
        tables.push_back({&r.table(entry, "an entry of '" + key + "'"), kind.expand});
      }
    }
  }
  std::stable_sort(tables.begin(), tables.end(), [](const case_table &a, const case_table &b) {
    const auto &x = a.table->source().begin;
    const auto &y = b.table->source().begin;
    return x.line != y.line ? x.line < y.line : x.column < y.column;
  });
  std::vector<suite_detail::expanded_case> cases;
  for (const auto &t : tables) {
    t.expand(r, *t.table, s.policy, cases);
  }
  if (cases.empty()) {
    r.fail(head.source(), "suite '" + s.name + "' has no cases",
           "at least one [[gemm]] or [[attention]] table, or a [[collective]] table");
  }
  std::map<std::string_view, const suite_detail::expanded_case *> seen;
  for (const auto &c : cases) {
    const auto [it, fresh] = seen.emplace(c.value.name, &c);
    if (!fresh) {
      fail_input(c.item_at + ": duplicate case name '" + c.value.name + "' (first made at " +
                 it->second->item_at +
                 "); expected unique case names: give one of the tables its own "
                 "name = \"...\"");
    }
  }
  s.cases.reserve(cases.size());
  for (auto &c : cases) {
    s.cases.push_back(std::move(c.value));
  }
  s.sha256 = sha256_hex(text);
  return s;
}

std::string join(const std::vector<std::string> &items) {
  std::string out;
  for (const auto &i : items) {
    out += (out.empty() ? "" : ", ") + i;
  }
  return out.empty() ? "none" : out;
}

std::string searched_dirs() {
  std::vector<std::string> dirs;
  for (const auto &d : suite_search_dirs()) {
    dirs.push_back(d.string());
  }
  return join(dirs);
}

[[noreturn]] void fail_unreadable(const fs::path &path, int err) {
  fail_input("cannot read suite file " + path.string() + ": " + std::strerror(err));
}

} // namespace

suite parse_suite(std::string_view text, const std::string &source) {
  return parse(text, source, nullptr);
}

suite load_suite_file(const fs::path &path) {
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
  const std::string stem = path.stem().string();
  suite s = parse(text, path.string(), &stem);
  s.path = path;
  return s;
}

std::vector<fs::path> suite_search_dirs() {
  std::vector<fs::path> dirs;
  if (const char *env = std::getenv("SUANLI_SUITE_PATH")) {
    std::string_view rest(env);
    while (!rest.empty()) {
      const size_t colon = rest.find(':');
      if (const auto entry = rest.substr(0, colon); !entry.empty()) {
        dirs.emplace_back(entry);
      }
      rest = colon == std::string_view::npos ? std::string_view{} : rest.substr(colon + 1);
    }
  }
  std::error_code ec;
  if (const auto exe = fs::read_symlink("/proc/self/exe", ec); !ec) {
    dirs.push_back((exe.parent_path() / ".." / suite_subdir).lexically_normal());
  }
  dirs.emplace_back(source_suite_dir);
  std::vector<fs::path> unique;
  for (const auto &d : dirs) {
    if (std::find(unique.begin(), unique.end(), d.lexically_normal()) == unique.end()) {
      unique.push_back(d.lexically_normal());
    }
  }
  return unique;
}

std::vector<std::string> available_suites() {
  std::vector<std::string> names;
  for (const auto &dir : suite_search_dirs()) {
    std::error_code ec;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
      std::error_code type_ec;
      if (it->path().extension() == ".toml" && it->is_regular_file(type_ec)) {
        names.push_back(it->path().stem().string());
      }
    }
  }
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  return names;
}

fs::path resolve_suite(std::string_view name_or_path) {
  const std::string value(name_or_path);
  const bool is_path = value.find('/') != std::string::npos || value.ends_with(".toml");
  if (is_path) {
    struct stat info {};
    if (::stat(value.c_str(), &info) != 0) {
      fail_unreadable(value, errno);
    }
    if (S_ISDIR(info.st_mode)) {
      fail_unreadable(value, EISDIR);
    }
    return value;
  }
  if (!value.empty()) {
    for (const auto &dir : suite_search_dirs()) {
      const fs::path candidate = dir / (value + ".toml");
      std::error_code ec;
      if (fs::is_regular_file(candidate, ec)) {
        return candidate;
      }
    }
  }
  fail_input("unknown suite '" + value + "'; available: " + join(available_suites()) +
             " (searched: " + searched_dirs() + ")");
}

} // namespace suanli::bench
