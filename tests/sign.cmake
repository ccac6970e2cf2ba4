# Tests of reports/ signing: base64, atomic files, Ed25519 keys, DSSE, in-toto statements.
set(sign_dir "${CMAKE_CURRENT_LIST_DIR}")
suanli_add_test(sign_tests
  SOURCES "${sign_dir}/sign_base64_test.cpp" "${sign_dir}/sign_atomic_file_test.cpp"
          "${sign_dir}/sign_keys_test.cpp" "${sign_dir}/sign_dsse_test.cpp"
          "${sign_dir}/sign_statement_test.cpp"
  LIBS suanli_reports
  LABELS unit)
# Interoperability with the stock openssl command (runs it through std::system).
suanli_add_test(sign_openssl_tests
  SOURCES "${sign_dir}/sign_openssl_test.cpp"
  LIBS suanli_reports
  LABELS integration)
