#include "commands.hpp"
#include "passphrase_options.hpp"

#include <reports/keys.hpp>

#include <iostream>
#include <memory>

namespace suanli::tools {

void add_keygen_command(CLI::App &app, command_status & /*status*/) {
  auto *cmd = app.add_subcommand(
      "keygen",
      "Make an Ed25519 key pair: NAME.key (PKCS#8 PEM, mode 0600) and NAME.pub (SPKI PEM)");
  auto out = std::make_shared<std::string>();
  auto passphrase = std::make_shared<reports::passphrase_source>();
  cmd->add_option("--out", *out, "Base name of the two files")->required();
  add_passphrase_options(*cmd, *passphrase, "--");
  cmd->callback([out, passphrase] {
    const auto files = reports::generate_keypair(*out, *passphrase);
    std::cout << "private key: " << files.private_key_path.string() << " (mode 0600"
              << (files.encrypted ? ", encrypted: PKCS#8 AES-256-CBC" : "") << ")\n"
              << "public key:  " << files.public_key_path.string() << "\n"
              << "keyid:       " << files.keyid << "\n";
  });
}

} // namespace suanli::tools
