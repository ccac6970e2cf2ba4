#include "passphrase_options.hpp"

namespace suanli::tools {

void add_passphrase_options(CLI::App &cmd, reports::passphrase_source &source,
                            const std::string &prefix, CLI::Option *key_option) {
  source.option_prefix = prefix;
  const bool loading = key_option != nullptr;
  auto *file = cmd.add_option(prefix + "passphrase-file", source.file,
                              loading ? "File whose first line is the passphrase of an encrypted "
                                        "--key (mode 0600, like the key)"
                                      : "Encrypt the new private key (AES-256-CBC PKCS#8) with "
                                        "the first line of this file (mode 0600)");
  auto *prompt = cmd.add_flag(prefix + "passphrase-prompt", source.prompt,
                              loading ? "Ask for the passphrase of an encrypted --key on the "
                                        "terminal (echo off)"
                                      : "Encrypt the new private key with a passphrase asked "
                                        "twice on the terminal (echo off)");
  file->excludes(prompt);
  if (loading) {
    file->needs(key_option);
    prompt->needs(key_option);
  }
}

} // namespace suanli::tools
