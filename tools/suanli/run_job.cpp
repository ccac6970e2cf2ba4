#include "run_job.hpp"

#include "backend_choice.hpp"
#include "device_database.hpp"
#include "run_output.hpp"
#include "run_progress.hpp"
#include "run_signals.hpp"

#include <bench/collective_engine.hpp>
#include <bench/error.hpp>
#include <bench/inventory.hpp>
#include <bench/problem.hpp>
#include <bench/runner.hpp>
#include <bench/seeds.hpp>
#include <bench/watchdog.hpp>
#include <certify/challenge.hpp>
#include <certify/claims.hpp>
#include <cluster/mpi_coordinator.hpp>
#include <cluster/world.hpp>
#include <reports/atomic_file.hpp>
#include <reports/cluster_report.hpp>
#include <reports/keys.hpp>
#include <reports/statement.hpp>

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>

namespace suanli::tools {
namespace {

using nlohmann::json;

// Everything checked before anything runs, on every rank.
struct job_setup {
  std::string nonce;                          // validated (lower case) or empty (random)
  std::string nonce_source = "random";        // "random", "user" (--nonce) or "challenge"
  json challenge;                             // the report's "challenge" field (null: none)
  json claims;                                // the report's "claims" field (null: none)
  std::optional<certify::claims> claimed;     // --claims as parsed
  std::optional<reports::private_key> key;    // rank 0 only
  bench::suite suite;                         // as loaded
  bench::suite device_suite;                  // its per-device cases
  std::vector<bench::suite_case> collectives; // its collective cases
  std::shared_ptr<host::plugin_backend> backend;
  int32_t device = 0;                                 // this rank's device
  bool device_cases = false;                          // whether this rank runs the per-device cases
  std::shared_ptr<const devices::database> device_db; // null when none is installed
  std::string device_db_reason;                       // why there is none
};

// The rated-peak database: one named on the command line or an invalid one stops the job;
// a missing installed one only leaves the reports without database efficiencies.
void open_database(const run_args &a, job_setup &j) {
  try {
    j.device_db = std::make_shared<const devices::database>(open_device_database(a.device_db));
  } catch (const bench::error &e) {
    if (!a.device_db.empty() || e.code() == bench::exit_code::bad_input) {
      throw;
    }
    j.device_db_reason = e.what();
  }
}

// The run options' database lookup for this rank's device.
std::function<std::optional<bench::peak_rate>(sl_dtype, std::string &)>
database_lookup(const job_setup &j) {
  if (!j.device_db) {
    return [why = j.device_db_reason](sl_dtype, std::string &reason) {
      reason = "no device database: " + why;
      return std::optional<bench::peak_rate>{};
    };
  }
  return database_peaks(j.device_db, j.backend->devices()[static_cast<size_t>(j.device)]);
}

// Refuse, before anything runs, an --out that could not be written at the end.
void check_output_path(const std::string &out) {
  const auto path = std::filesystem::absolute(out);
  if (std::filesystem::is_directory(path)) {
    bench::fail_input("--out " + out + " is a folder; expected a file name");
  }
  const auto dir = path.parent_path();
  if (!std::filesystem::is_directory(dir)) {
    bench::fail_input("--out " + out + ": folder " + dir.string() + " does not exist");
  }
  if (access(dir.c_str(), W_OK) != 0) {
    bench::fail_input("--out " + out + ": folder " + dir.string() + " is not writable");
  }
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
  return s;
}

// --challenge (checked against --platform-key when given, and against the clock) and --claims.
void read_evidence(const run_args &a, job_setup &j) {
  if (!a.challenge.empty()) {
    std::optional<reports::public_key> platform;
    if (!a.platform_key.empty()) {
      platform.emplace(reports::load_public_key(a.platform_key));
    }
    const auto c = certify::accept_challenge(a.challenge, platform ? &*platform : nullptr,
                                             certify::unix_now());
    j.nonce = c.file.value.nonce;
    j.nonce_source = "challenge";
    j.challenge = certify::challenge_report_json(c);
  }
  if (!a.claims.empty()) {
    j.claimed = certify::load_claims(a.claims);
    j.claims = certify::claims_json(*j.claimed);
  }
}

// Every device model the claims name must be one the backend sees on this node.
void check_claimed_devices(const job_setup &j, const cluster::placement &place) {
  if (!j.claimed) {
    return;
  }
  std::vector<std::string> seen;
  for (const auto &d : j.backend->devices()) {
    seen.push_back(d.model);
  }
  const auto why = certify::unseen_device_problem(
      *j.claimed, seen, "node " + place.host + " (" + j.backend->name() + " backend)");
  if (!why.empty()) {
    bench::fail_input(why);
  }
}

job_setup set_up(const run_args &a, const cluster::placement &place) {
  job_setup j;
  if (!a.nonce.empty()) {
    if (const auto why = bench::nonce_problem(a.nonce); !why.empty()) {
      bench::fail_input("--nonce " + why);
    }
    j.nonce = lower(a.nonce);
    j.nonce_source = "user";
  }
  read_evidence(a, j);
  if (a.threads < 0) {
    bench::fail_input("--threads " + std::to_string(a.threads) + " must be >= 0 (0 = all cores)");
  }
  if (!(a.timeout_s > 0)) {
    bench::fail_input("--timeout " + std::to_string(a.timeout_s) + " must be > 0 seconds");
  }
  if (place.rank == 0) {
    check_output_path(a.out);
    if (!a.key.empty()) {
      j.key.emplace(reports::load_private_key(a.key, a.key_passphrase));
    }
  }
  j.suite = bench::load_suite_file(bench::resolve_suite(a.suite));
  if (a.cold_bytes >= 0) {
    for (auto &c : j.suite.cases) {
      c.policy.cold_bytes = a.cold_bytes; // collectives ignore it: each sample reloads its buffers
    }
  }
  j.device_suite = j.suite;
  j.device_suite.cases.clear();
  for (const auto &c : j.suite.cases) {
    (std::holds_alternative<bench::collective_problem>(c.op) ? j.collectives : j.device_suite.cases)
        .push_back(c);
  }
  if (!j.collectives.empty() && place.size < 2) {
    bench::fail_input("suite " + j.suite.name + " has " + std::to_string(j.collectives.size()) +
                      " collective cases, which need at least 2 ranks; this job has 1. "
                      "Launch it with `mpirun -np N suanli run ...` or `srun -n N --mpi=pmix "
                      "suanli run ...`");
  }
  for (const auto &c : j.collectives) {
    const auto &p = std::get<bench::collective_problem>(c.op);
    if (p.root >= place.size) {
      bench::fail_input(c.origin + ": case " + c.name + ": root " + std::to_string(p.root) +
                        " does not exist in a job of " + std::to_string(place.size) +
                        " ranks; expected 0 to " + std::to_string(place.size - 1));
    }
  }
  const auto entries = host::discover_backends(a.backend_paths, {a.threads});
  j.backend = choose_backend(entries, a.backend);
  const auto count = static_cast<int32_t>(j.backend->devices().size());
  if (count == 0) {
    bench::fail_environment(j.backend->name() + " backend on " + place.host + " has no device");
  }
  if (a.device_given) {
    j.device = a.device;
    j.device_cases = place.local_rank == 0;
  } else {
    j.device = place.local_rank % count;
    j.device_cases = place.local_rank < count;
  }
  check_claimed_devices(j, place);
  bench::preflight(j.suite, *j.backend, j.device);
  open_database(a, j);
  if (!j.collectives.empty()) {
    std::string why;
    if (!j.backend->has_collectives(why)) {
      bench::fail_environment(why + "; suite " + j.suite.name + " has collective cases");
    }
  }
  return j;
}

// Every rank's setup outcome; on any failure every rank returns the same exit code and rank 0
// prints each distinct reason once.
int agree_on_setup(bench::coordinator &ranks, int code, const std::string &message) {
  const double mine = code;
  const int64_t worst = ranks.step(
      std::span(&mine, 1),
      [](std::span<const double> all) {
        return static_cast<int64_t>(*std::max_element(all.begin(), all.end()));
      },
      "checking the inputs on every rank");
  if (worst == 0) {
    return 0;
  }
  const auto messages = ranks.gather(message, "collecting the input errors");
  // The same message from every rank (a bad suite, option or file) is shown once, plainly.
  const bool everyone_alike =
      std::all_of(messages.begin(), messages.end(),
                  [&](const std::string &m) { return !messages.empty() && m == messages[0]; });
  std::vector<std::string> shown;
  for (size_t r = 0; r < messages.size(); ++r) {
    if (!messages[r].empty() && std::find(shown.begin(), shown.end(), messages[r]) == shown.end()) {
      shown.push_back(messages[r]);
      std::cerr << "suanli: error: " << (everyone_alike ? "" : "rank " + std::to_string(r) + ": ")
                << messages[r] << "\n";
    }
  }
  return static_cast<int>(worst);
}

// Seconds a rank may wait for another's per-device cases: generous bounds of every case.
double device_phase_wait(const bench::suite &s, double timeout_s) {
  double total = 300 + timeout_s;
  for (const auto &c : s.cases) {
    total += 3 * (c.policy.warmup_s + c.policy.max_time_s) + 60;
  }
  return total;
}

// Seconds a step may run past what its policy predicts before the watchdog ends the job:
// --timeout for a late backend call, plus an allowance for host-side work (preparing and
// verifying a case, growing with the problem) of 300 s, or 10 x --timeout when that is less,
// so that a short --timeout bounds a hung call as tightly as it says (docs/faults.md).
double late_allowance_s(double timeout_s) {
  return timeout_s + std::min(300.0, 10 * timeout_s);
}

// Seconds one per-device case may take: twice its measuring time, plus the allowance.
double case_deadline_s(const bench::suite_case &c, double timeout_s) {
  return 2 * (c.policy.warmup_s + c.policy.max_time_s) + late_allowance_s(timeout_s);
}

int run_phases(const run_args &a, job_setup &j, const cluster::world &world,
               bench::coordinator &ranks, bench::watchdog &dog, run_signals &signals) {
  const auto &place = world.place();
  const bool lead = place.rank == 0;
  const bool talk = lead && !a.quiet;
  run_progress progress(talk, run_progress::stderr_is_live());
  const auto start = std::chrono::steady_clock::now();
  signals.set_backend(j.backend->name());
  signals.set_total((j.device_cases ? j.device_suite.cases.size() : 0) + j.collectives.size());

  reports::run_context ctx;
  ctx.created_utc = reports::utc_now();
  ctx.nonce_source = j.nonce_source;
  ctx.nonce =
      ranks.broadcast(j.nonce.empty() ? bench::random_nonce() : j.nonce, "sending the nonce");
  ctx.suite_name = j.suite.name;
  ctx.suite_file = j.suite.path.string();
  ctx.suite_sha256 = j.suite.sha256;
  ctx.suite_description = j.suite.description;
  ctx.argv = a.argv;
  ctx.threads = a.threads;
  ctx.tool = bench::tool_identity();
  ctx.system = bench::probe_system();
  ctx.backend = reports::backend_json(*j.backend);
  ctx.challenge = j.challenge;
  ctx.claims = j.claims;
  if (lead && !j.challenge.is_null() && a.platform_key.empty()) {
    std::cerr << "suanli: note: no --platform-key given: the challenge's signature was not "
                 "checked, and the report's challenge.platform_keyid is empty\n";
  }

  if (talk) {
    print_job_start(std::cout, j.suite, place, j.backend->name(), j.device,
                    j.device_suite.cases.size(), j.collectives.size());
  }
  // Phase 1: per-device cases, each device measured by one rank.
  std::optional<bench::run_result> device_results;
  if (j.device_cases && !j.device_suite.cases.empty()) {
    bench::run_options options;
    options.nonce = ctx.nonce;
    options.device = j.device;
    options.database_peak = database_lookup(j);
    options.on_case_start = [&](size_t i, size_t n, const bench::suite_case &c) {
      run_signals::check_interrupt();
      signals.case_started(c.name);
      progress.case_started(i, n, c.name, bench::problem_flops(c.op));
      dog.arm(case_deadline_s(c, a.timeout_s), "case " + c.name);
    };
    // The peaks, measured before the first case and again after the last, are backend calls
    // too: up to one dtype per case, each with the allowance.
    const double peaks_s =
        static_cast<double>(j.device_suite.cases.size()) * late_allowance_s(a.timeout_s);
    dog.arm(peaks_s, "measuring the peaks");
    options.on_case_end = [&](size_t i, size_t n, const bench::case_result &r) {
      dog.arm(peaks_s, "measuring the peaks after the cases"); // or until the next case starts
      signals.case_finished();
      progress.case_finished(i, n, r);
    };
    options.on_sample = [&progress](size_t i, size_t n, const bench::measurement &m) {
      run_signals::check_interrupt();
      progress.case_sample(i, n, m.samples_s); // redraws at most every 0.2 s
    };
    device_results = bench::run_suite(j.device_suite, *j.backend, options);
    dog.disarm();
  }
  run_signals::check_interrupt(); // nothing is written for an interrupted run
  if (ranks.size() == 1) {
    progress.finish();
    return write_single_report(a, j.key, ctx, device_results.value_or(bench::run_result{}),
                               j.suite.criteria);
  }
  const reports::rank_place rp{place.rank, place.node, place.local_rank,
                               place.host, j.device,   j.device_cases};
  const auto part =
      reports::make_rank_part(rp, place.local_rank == 0 ? ctx.system : json(), ctx.backend,
                              device_results ? &*device_results : nullptr);
  const auto parts = ranks.gather(part.dump(), "collecting per-device results",
                                  device_phase_wait(j.device_suite, a.timeout_s));

  // Phase 2: collectives on all ranks.
  std::vector<bench::case_result> collectives;
  if (!j.collectives.empty()) {
    std::unique_ptr<bench::communicator> comm;
    {
      bench::watch w(&dog, a.timeout_s, "joining the " + j.backend->name() + " communicator");
      comm = j.backend->join(j.device, ranks);
    }
    bench::collective_context cctx{*j.backend, *comm, ranks, j.device, &dog, ctx.nonce};
    for (size_t i = 0; i < j.collectives.size(); ++i) {
      run_signals::check_interrupt(); // between cases: another rank may wait in this one
      signals.case_started(j.collectives[i].name);
      progress.case_started(i, j.collectives.size(), j.collectives[i].name);
      auto r = bench::run_collective_case(j.collectives[i], cctx);
      signals.case_finished();
      progress.case_finished(i, j.collectives.size(), r);
      collectives.push_back(std::move(r));
    }
  }
  run_signals::check_interrupt();
  progress.finish();
  if (!lead) {
    return 0;
  }
  std::vector<json> part_json;
  for (const auto &p : parts) {
    part_json.push_back(json::parse(p));
  }
  const double wall =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  auto payload = reports::make_cluster_report(ctx, part_json, collectives,
                                              {place.launcher, a.timeout_s, place.nodes}, wall);
  add_certification(payload, j.suite.criteria);
  write_report(a, j.key, payload);
  if (!a.quiet) {
    std::cout << "\n" << render_cluster_summary(payload);
  }
  print_report_line(std::cout, a.out, j.key);
  return exit_code_of(payload);
}

} // namespace

int run_job(const run_args &a) {
  cluster::world world;
  const auto &place = world.place();
  if (!world.mpi()) {
    // One process: errors go to main, which prints them once with their exit code.
    bench::single_rank_coordinator ranks;
    bench::watchdog dog("this process");
    run_signals signals("this process");
    try {
      auto j = set_up(a, place);
      return run_phases(a, j, world, ranks, dog, signals);
    } catch (const run_interrupted &e) {
      std::cout.flush();
      std::cerr << signals.interrupted_line(e.signal()) << "\n";
      return interrupted_exit_code(e.signal());
    }
  }
  cluster::mpi_coordinator ranks(a.timeout_s);
  bench::watchdog dog("rank " + std::to_string(place.rank) + " on " + place.host);
  run_signals signals("rank " + std::to_string(place.rank) + " on " + place.host);
  try {
    job_setup j;
    int code = 0;
    std::string message;
    try {
      j = set_up(a, place);
    } catch (const bench::error &e) {
      code = static_cast<int>(e.code());
      message = e.what();
    } catch (const std::exception &e) {
      code = static_cast<int>(bench::exit_code::environment);
      message = e.what();
    }
    if (const int agreed = agree_on_setup(ranks, code, message); agreed != 0) {
      return agreed;
    }
    return run_phases(a, j, world, ranks, dog, signals);
  } catch (const run_interrupted &e) {
    // Every rank got the signal from the launcher; the first to see it ends the job, so no
    // rank waits for one that stopped.
    std::cout.flush();
    std::cerr << "rank " << place.rank << " on " << place.host << ": "
              << signals.interrupted_line(e.signal()) << "\n";
    world.abort(interrupted_exit_code(e.signal()));
  } catch (const bench::error &e) {
    std::cerr << "suanli: error: rank " << place.rank << " on " << place.host << ": " << e.what()
              << "\n";
    world.abort(static_cast<int>(e.code()));
  } catch (const std::exception &e) {
    std::cerr << "suanli: error: rank " << place.rank << " on " << place.host << ": " << e.what()
              << "\n";
    world.abort(static_cast<int>(bench::exit_code::environment));
  }
}

} // namespace suanli::tools
