# Tests of reports/ signing: base64, atomic files, Ed25519 keys, DSSE, in-toto statements.
set(sign_dir "${CMAKE_CURRENT_LIST_DIR}")
suanli_add_test(sign_tests
  SOURCES "${sign_dir}/sign_base64_test.cpp" "${sign_dir}/sign_atomic_file_test.cpp"
          "${sign_dir}/sign_keys_test.cpp" "${sign_dir}/sign_dsse_test.cpp"
          "${sign_dir}/sign_statement_test.cpp" "${sign_dir}/sign_passphrase_test.cpp"
  LIBS suanli_reports
  LABELS unit)
# Interoperability with the stock openssl command (runs it through std::system).
suanli_add_test(sign_openssl_tests
  SOURCES "${sign_dir}/sign_openssl_test.cpp"
  LIBS suanli_reports
  LABELS integration)
# Encrypted keys and key hygiene through the `suanli` binary (passphrase files and prompts on a
# pseudo-terminal, openssl interoperability, no key material in any output).
suanli_add_test(cli_keys_test
  SOURCES "${sign_dir}/cli_support.cpp" "${sign_dir}/pty_run.cpp" "${sign_dir}/cli_keys_test.cpp"
          "${sign_dir}/cli_key_leak_test.cpp"
  LABELS integration)
