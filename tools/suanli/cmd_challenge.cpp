// `suanli challenge issue` (the platform makes a signed challenge) and `suanli challenge show`
// (anyone reads one, checks its signature and whether it is valid now).
#include "commands.hpp"
#include "passphrase_options.hpp"

#include <certify/challenge.hpp>
#include <reports/atomic_file.hpp>
#include <reports/keys.hpp>

#include <iostream>
#include <map>
#include <memory>
#include <string>

namespace suanli::tools {
namespace {

struct issue_args {
  std::string key, scope, valid, out;
  reports::passphrase_source key_passphrase; ///< for an encrypted --key
};

struct show_args {
  std::string file, platform_key;
};

std::string scope_text(const std::map<std::string, std::string> &scope) {
  std::string out;
  for (const auto &[k, v] : scope) {
    out += (out.empty() ? "" : ", ") + k + "=" + v;
  }
  return out;
}

std::string span_text(int64_t seconds) {
  const int64_t d = seconds / 86400, h = seconds % 86400 / 3600, m = seconds % 3600 / 60;
  if (d > 0) {
    return std::to_string(d) + "d " + std::to_string(h) + "h";
  }
  if (h > 0) {
    return std::to_string(h) + "h " + std::to_string(m) + "m";
  }
  return m > 0 ? std::to_string(m) + "m " + std::to_string(seconds % 60) + "s"
               : std::to_string(seconds) + "s";
}

void print_challenge(const certify::challenge &c) {
  std::cout << "  nonce:   " << c.nonce << "\n"
            << "  issued:  " << certify::format_utc(c.issued_s) << "\n"
            << "  expires: " << certify::format_utc(c.expires_s) << " (valid "
            << span_text(c.expires_s - c.issued_s) << ")\n"
            << "  scope:   " << scope_text(c.scope) << "\n";
}

void issue(const issue_args &a) {
  // Check every input before the key is read and before anything is written.
  const int64_t valid_s = certify::parse_duration(a.valid, "--valid");
  auto scope = certify::parse_scope(a.scope, "--scope");
  const auto key = reports::load_private_key(a.key, a.key_passphrase);
  const auto c = certify::make_challenge(std::move(scope), valid_s, certify::unix_now());
  const auto envelope = certify::sign_challenge(c, key);
  reports::write_file_atomic(a.out, reports::serialize_envelope(envelope));
  std::cout << "challenge: " << a.out << "\n";
  print_challenge(c);
  std::cout << "  signed:  by platform key " << key.keyid() << "\n";
}

int show(const show_args &a) {
  const auto f = certify::load_challenge(a.file);
  std::cout << "challenge: " << a.file << "\n";
  print_challenge(f.value);
  bool ok = true;
  if (f.envelope.signatures.empty()) {
    std::cout << "  signature: NONE (the challenge is unsigned)\n";
    ok = false;
  } else if (a.platform_key.empty()) {
    std::cout << "  signature: not checked (no --platform-key); it names keyid "
              << (f.envelope.signatures[0].keyid.empty() ? "(none)"
                                                         : f.envelope.signatures[0].keyid)
              << "\n";
  } else {
    const auto key = reports::load_public_key(a.platform_key);
    const auto check = certify::verify_challenge(f.envelope, key);
    std::cout << "  signature: " << (check.ok() ? "OK: " : "FAILED: ") << check.reason << "\n";
    ok = ok && check.ok();
  }
  const int64_t now = certify::unix_now();
  if (const auto why = certify::time_problem(f.value, now); !why.empty()) {
    std::cout << "  validity:  NOT VALID NOW: " << why << "\n";
    ok = false;
  } else {
    std::cout << "  validity:  valid now (" << span_text(f.value.expires_s - now) << " left)\n";
  }
  return ok ? 0 : 1;
}

} // namespace

void add_challenge_command(CLI::App &app, command_status &status) {
  auto *cmd = app.add_subcommand("challenge", "Platform challenges: issue a signed one, or show "
                                              "one and check its signature and validity");
  cmd->require_subcommand(1);
  auto *iss = cmd->add_subcommand(
      "issue", "Write a platform-signed challenge (DSSE): a random nonce, issue and expiry time, "
               "scope; `suanli run --challenge` derives every input seed from its nonce");
  auto ia = std::make_shared<issue_args>();
  auto *key =
      iss->add_option("--key", ia->key, "Platform Ed25519 private key (PKCS#8 PEM, mode 0600)")
          ->required();
  add_passphrase_options(*iss, ia->key_passphrase, "--key-", key);
  iss->add_option("--scope", ia->scope,
                  "What the challenge is for: key=value pairs, provider required, e.g. "
                  "provider=acme,cluster=bj-01")
      ->required();
  iss->add_option("--valid", ia->valid, "How long it is valid: 90s, 30m, 24h, 7d (at most 30d)")
      ->default_val("24h");
  iss->add_option("--out", ia->out, "Challenge file to write (atomically)")->required();
  iss->callback([ia] { issue(*ia); });

  auto *sh = cmd->add_subcommand("show", "Print a challenge, whether its signature verifies "
                                         "(with --platform-key) and whether it is valid now; "
                                         "exit 1 when either does not hold");
  auto sa = std::make_shared<show_args>();
  sh->add_option("challenge", sa->file, "Challenge file")->required();
  sh->add_option("--platform-key", sa->platform_key, "The platform's public key (SPKI PEM)");
  sh->callback([sa, &status] { status.exit_code = show(*sa); });
}

} // namespace suanli::tools
