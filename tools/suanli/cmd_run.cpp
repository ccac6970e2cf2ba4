#include "commands.hpp"
#include "passphrase_options.hpp"
#include "run_job.hpp"

#include <memory>
#include <string>

namespace suanli::tools {

void add_run_command(CLI::App &app, command_status &status) {
  auto *cmd = app.add_subcommand("run", "Run a suite on a backend, verify every case and write a "
                                        "report (signed with --key); under mpirun or srun, one "
                                        "report for the whole job");
  auto a = std::make_shared<run_args>();
  cmd->add_option("--suite", a->suite, "Suite name (see `suanli list`) or .toml file")->required();
  cmd->add_option("--backend", a->backend, "Backend name (default: cpu, else the first available)");
  auto *device = cmd->add_option("--device", a->device,
                                 "Device index on the backend (default: under MPI, the rank's "
                                 "index on its node; else 0)");
  auto *nonce = cmd->add_option("--nonce", a->nonce,
                                "Hex nonce all input seeds derive from (default: random)");
  auto *challenge = cmd->add_option("--challenge", a->challenge,
                                    "Platform challenge file (`suanli challenge issue`): every "
                                    "input seed derives from its nonce; refused when expired");
  challenge->excludes(nonce);
  cmd->add_option("--platform-key", a->platform_key,
                  "The platform's public key (SPKI PEM): the challenge must be signed by it")
      ->needs(challenge);
  cmd->add_option("--claims", a->claims,
                  "Provider claims file (TOML, docs/claims.md) to embed in the report");
  auto *key = cmd->add_option("--key", a->key,
                              "Ed25519 private key (PKCS#8 PEM, mode 0600) to sign with (read by "
                              "rank 0)");
  add_passphrase_options(*cmd, a->key_passphrase, "--key-", key);
  cmd->add_option("--out", a->out, "Report file to write (by rank 0)")->required();
  cmd->add_option("--threads", a->threads, "Host threads for CPU backends (0 = all cores)")
      ->default_val(0);
  cmd->add_option("--timeout", a->timeout_s,
                  "Seconds a rank, a collective or a backend call may be late before the job "
                  "ends with exit 3")
      ->default_val(120.0);
  cmd->add_option("--backend-path", a->backend_paths,
                  "Extra plugin files or folders (colon-separated)");
  cmd->add_option("--device-db", a->device_db,
                  "Rated-peak device database folder or file (default: the installed "
                  "suites/devices)");
  cmd->add_flag("--quiet", a->quiet, "Print only the report line");
  auto cold_flag = std::make_shared<bool>(false);
  auto *cold = cmd->add_flag("--cold", *cold_flag,
                             "Cold caches for GEMM and attention: calls rotate over copies of "
                             "the operands, 1 GiB apart (suite key cold_bytes)");
  auto *cold_bytes = cmd->add_option("--cold-bytes", a->cold_bytes,
                                     "Cold mode with this many bytes between two uses of a "
                                     "buffer (0 = warm; overrides the suite's cold_bytes)")
                         ->check(CLI::Range(int64_t{0}, int64_t{10'000'000'000'000}));
  cold->excludes(cold_bytes);
  cmd->callback([a, &status, cmd, device, cold_flag] {
    a->device_given = device->count() > 0;
    if (*cold_flag) {
      a->cold_bytes = int64_t{1} << 30;
    }
    a->argv = {"suanli", "run"};
    for (const auto &opt : cmd->get_options()) {
      for (const auto &v : opt->results()) {
        a->argv.push_back(opt->get_name() + "=" + v);
      }
    }
    status.exit_code = run_job(*a);
  });
}

} // namespace suanli::tools
