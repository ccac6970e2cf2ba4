#include "backend_choice.hpp"
#include "commands.hpp"

#include <bench/error.hpp>
#include <bench/inventory.hpp>
#include <bench/runner.hpp>
#include <bench/seeds.hpp>
#include <bench/text.hpp>
#include <reports/atomic_file.hpp>
#include <reports/keys.hpp>
#include <reports/report.hpp>
#include <reports/statement.hpp>
#include <reports/summary_table.hpp>

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>

namespace suanli::tools {
namespace {

struct run_args {
  std::string suite, backend, nonce, key, out;
  std::vector<std::string> backend_paths;
  int32_t device = 0;
  int32_t threads = 0;
  bool quiet = false;
  std::vector<std::string> argv;
};

// One line per finished case (live progress arrives with the rendering issue).
void print_progress(size_t index, size_t total, const bench::case_result &r) {
  std::cout << "[" << index + 1 << "/" << total << "] " << r.name << "  "
            << bench::status_name(r.status);
  if (r.metrics) {
    std::cout << "  " << bench::fixed(r.metrics->gflops_median, 1) << " GFLOP/s";
  }
  std::cout << std::endl;
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

int run(const run_args &a) {
  // Everything that can be wrong with the input is checked before anything runs.
  std::string nonce = a.nonce;
  if (!nonce.empty()) {
    if (const auto why = bench::nonce_problem(nonce); !why.empty()) {
      bench::fail_input("--nonce " + why);
    }
    std::transform(nonce.begin(), nonce.end(), nonce.begin(),
                   [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
  }
  check_output_path(a.out);
  if (a.threads < 0) {
    bench::fail_input("--threads " + std::to_string(a.threads) + " must be >= 0 (0 = all cores)");
  }
  std::optional<reports::private_key> key;
  if (!a.key.empty()) {
    key.emplace(reports::load_private_key(a.key));
  }
  const auto suite = bench::load_suite_file(bench::resolve_suite(a.suite));
  const auto entries = host::discover_backends(a.backend_paths, {a.threads});
  const auto backend = choose_backend(entries, a.backend);
  bench::preflight(suite, *backend, a.device);

  reports::run_context ctx;
  ctx.created_utc = reports::utc_now();
  ctx.nonce_source = nonce.empty() ? "random" : "user";
  ctx.nonce = nonce.empty() ? bench::random_nonce() : nonce;
  ctx.suite_name = suite.name;
  ctx.suite_file = suite.path.string();
  ctx.suite_sha256 = suite.sha256;
  ctx.suite_description = suite.description;
  ctx.argv = a.argv;
  ctx.threads = a.threads;
  ctx.tool = bench::tool_identity();
  ctx.system = bench::probe_system();
  ctx.backend = reports::backend_json(*backend);

  bench::run_options options;
  options.nonce = ctx.nonce;
  options.device = a.device;
  if (!a.quiet) {
    std::cout << "suite " << suite.name << ": " << suite.cases.size() << " cases on "
              << backend->name() << ":" << a.device << "; measuring peaks..." << std::endl;
    options.on_case_end = print_progress;
  }
  const auto result = bench::run_suite(suite, *backend, options);
  const auto payload = reports::make_report(ctx, result);

  const auto statement =
      reports::make_statement(std::filesystem::path(a.out).filename().string(), payload);
  const auto envelope = key ? reports::sign_statement(statement, *key)
                            : reports::make_unsigned_statement_envelope(statement);
  reports::write_file_atomic(a.out, reports::serialize_envelope(envelope), 0644);

  if (!a.quiet) {
    std::cout << "\n" << reports::render_peaks(payload) << "\n" << reports::render_cases(payload);
  }
  std::cout << "report: " << a.out << " ("
            << (key ? "signed, keyid " + key->keyid() : std::string("UNSIGNED: no --key given"))
            << ")\n";
  // A failed verification is the answer that matters most (exit 1); then backend errors (3).
  const auto &tot = payload["totals"];
  if (tot.value("failed", 0) > 0) {
    return static_cast<int>(bench::exit_code::check_failed);
  }
  return tot.value("errors", 0) > 0 ? static_cast<int>(bench::exit_code::environment) : 0;
}

} // namespace

void add_run_command(CLI::App &app, command_status &status) {
  auto *cmd = app.add_subcommand("run", "Run a suite on a backend, verify every case and write a "
                                        "report (signed with --key)");
  auto a = std::make_shared<run_args>();
  cmd->add_option("--suite", a->suite, "Suite name (see `suanli list`) or .toml file")->required();
  cmd->add_option("--backend", a->backend, "Backend name (default: cpu, else the first available)");
  cmd->add_option("--device", a->device, "Device index on the backend")->default_val(0);
  cmd->add_option("--nonce", a->nonce, "Hex nonce all input seeds derive from (default: random)");
  cmd->add_option("--key", a->key, "Ed25519 private key (PKCS#8 PEM, mode 0600) to sign with");
  cmd->add_option("--out", a->out, "Report file to write")->required();
  cmd->add_option("--threads", a->threads, "Host threads for CPU backends (0 = all cores)")
      ->default_val(0);
  cmd->add_option("--backend-path", a->backend_paths,
                  "Extra plugin files or folders (colon-separated)");
  cmd->add_flag("--quiet", a->quiet, "Print only the report line");
  cmd->callback([a, &status, cmd] {
    a->argv = {"suanli", "run"};
    for (const auto &opt : cmd->get_options()) {
      for (const auto &v : opt->results()) {
        a->argv.push_back(opt->get_name() + "=" + v);
      }
    }
    status.exit_code = run(*a);
  });
}

} // namespace suanli::tools
