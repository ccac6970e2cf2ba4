#include <conformance/check.hpp>

#include <bench/error.hpp>
#include <conformance/checks.hpp>
#include <conformance/isolate.hpp>
#include <conformance/session.hpp>

#include <dlfcn.h>

#include <algorithm>
#include <array>
#include <map>

namespace suanli::conformance {
namespace {

constexpr std::array<check, 12> k_checks = {{
    {"table", "entry symbol, struct_size, ABI version, name, required entries", check_table},
    {"lifecycle", "init/finalize x3, last_error(NULL) after a failure, library_versions",
     check_lifecycle},
    {"devices", "device_count, device_props of every device, out-of-range indices", check_devices},
    {"links", "device_link: self is SELF, symmetric pairs, out-of-range indices refused",
     check_links},
    {"memory", "alloc, h2d/d2h round trips (1 B, 4 KiB + 3, 1 MiB), free, invalid pointers",
     check_memory},
    {"fill", "device fill of every dtype equals sl_fill_value bit for bit", check_fill},
    {"timing", "events monotonic; device time of a workload within the host clock", check_timing},
    {"gemm", "small GEMMs of every precision verified against the reference", check_gemm},
    {"attention", "small attention forwards (causal or not, GQA, MQA) verified", check_attention},
    {"collectives", "one-rank all_reduce, all_gather, broadcast, sendrecv; comm_destroy",
     check_collectives},
    {"invalid_args", "NULL desc or ctx, bad device, zero GEMM dims: an error, not a crash",
     check_invalid_args},
    {"reasons", "every unsupported answer, here and in the checks above, has a reason",
     check_reasons},
}};

std::string known_ids() {
  std::string out;
  for (const auto &c : k_checks) {
    out += (out.empty() ? "" : ", ") + std::string(c.id);
  }
  return out;
}

// The "reasons" row: its own probe, plus every missing reason the other checks met.
void merge_reasons(std::vector<check_row> &rows) {
  const auto reasons =
      std::find_if(rows.begin(), rows.end(), [](const check_row &r) { return r.id == "reasons"; });
  if (reasons == rows.end()) {
    return;
  }
  int seen = 0;
  int checks_with_unsupported = 0;
  std::vector<std::string> missing;
  for (const auto &r : rows) {
    seen += r.result.unsupported_seen;
    checks_with_unsupported += r.result.unsupported_seen > 0 ? 1 : 0;
    for (const auto &where : r.result.missing_reasons) {
      missing.push_back(where + " (" + r.id + ")");
    }
  }
  check_result &own = reasons->result;
  const std::string own_failure =
      own.result == outcome::fail ? "; the probe itself: " + own.detail : "";
  if (!missing.empty()) {
    std::string list;
    for (size_t i = 0; i < missing.size() && i < 3; ++i) {
      list += (i == 0 ? "" : "; ") + missing[i];
    }
    if (missing.size() > 3) {
      list += "; and " + std::to_string(missing.size() - 3) + " more";
    }
    own.result = outcome::fail;
    own.detail = "no reason on " + std::to_string(missing.size()) + " of " + std::to_string(seen) +
                 " unsupported answers: " + list + own_failure;
  } else if (own.result != outcome::fail) {
    own.result = outcome::pass;
    own.detail = seen == 0 ? "no unsupported answer was met"
                           : std::to_string(seen) + " unsupported answers across " +
                                 std::to_string(checks_with_unsupported) +
                                 (checks_with_unsupported == 1 ? " check" : " checks") +
                                 ", each with a reason";
  }
}

} // namespace

std::string_view outcome_name(outcome o) {
  switch (o) {
  case outcome::pass: return "PASS";
  case outcome::fail: return "FAIL";
  case outcome::unsupported: return "UNSUPPORTED";
  }
  return "FAIL";
}

check_result pass(std::string detail) {
  return {outcome::pass, std::move(detail), 0, {}, 0};
}

check_result fail(std::string detail) {
  return {outcome::fail, std::move(detail), 0, {}, 0};
}

check_result unsupported(std::string reason) {
  return {outcome::unsupported, std::move(reason), 0, {}, 0};
}

std::span<const check> all_checks() {
  return k_checks;
}

std::vector<check> select_checks(std::string_view ids) {
  if (ids.empty()) {
    return {k_checks.begin(), k_checks.end()};
  }
  std::map<std::string, bool> wanted;
  size_t at = 0;
  while (at <= ids.size()) {
    const size_t comma = std::min(ids.find(',', at), ids.size());
    const std::string id(ids.substr(at, comma - at));
    if (std::none_of(k_checks.begin(), k_checks.end(),
                     [&](const check &c) { return c.id == id; })) {
      bench::fail_input("--only: unknown check id \"" + id + "\"; expected a comma-separated " +
                        "list of: " + known_ids());
    }
    wanted[id] = true;
    at = comma + 1;
  }
  std::vector<check> out;
  for (const auto &c : k_checks) {
    if (wanted.count(std::string(c.id)) != 0) {
      out.push_back(c);
    }
  }
  return out;
}

std::vector<check_row> run_checks(const std::filesystem::path &plugin,
                                  const std::vector<check> &checks,
                                  std::chrono::milliseconds timeout,
                                  const check_started &on_start) {
  std::vector<check_row> rows;
  const check_input input{plugin};
  for (const auto &c : checks) {
    if (on_start) {
      on_start(rows.size(), checks.size(), c);
    }
    const check_fn fn = c.run;
    check_result r = run_isolated(
        [&input, fn] {
          check_result out;
          try {
            out = fn(input);
          } catch (const std::exception &e) {
            out = fail(clip(e.what(), 300));
          }
          take_unsupported_log(out);
          return out;
        },
        timeout);
    rows.push_back({std::string(c.id), std::string(c.what), std::move(r)});
  }
  merge_reasons(rows);
  return rows;
}

std::string open_problem(const std::filesystem::path &plugin, std::chrono::milliseconds timeout) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(plugin, ec)) {
    return "no such file";
  }
  const std::string where = plugin.string();
  const check_result r = run_isolated(
      [&where] {
        if (dlopen(where.c_str(), RTLD_NOW | RTLD_LOCAL) == nullptr) {
          const char *why = dlerror();
          return fail(why != nullptr ? why : "dlopen failed");
        }
        return pass("");
      },
      timeout);
  return r.result == outcome::pass ? "" : r.detail;
}

summary summarize(const std::vector<check_row> &rows) {
  summary s;
  for (const auto &r : rows) {
    switch (r.result.result) {
    case outcome::pass: ++s.passed; break;
    case outcome::fail: ++s.failed; break;
    case outcome::unsupported: ++s.unsupported; break;
    }
  }
  return s;
}

std::string summary_line(const summary &s) {
  return std::to_string(s.passed) + " passed, " + std::to_string(s.failed) + " failed, " +
         std::to_string(s.unsupported) + " unsupported";
}

} // namespace suanli::conformance
