# Tests of certify/: platform challenges and provider claims (unit), and the `suanli challenge`
# command with `suanli run --challenge/--claims` end to end (integration).
suanli_add_test(certify_tests SOURCES certify_test.cpp LIBS suanli_certify LABELS unit)
suanli_add_test(cli_certify_test SOURCES cli_support.cpp cli_certify_test.cpp
                LIBS suanli_reports nlohmann_json::nlohmann_json LABELS integration)
# The same under mpirun: the cluster report, and a refusal agreed by every rank.
suanli_add_test(cli_certify_cluster_test
  SOURCES cli_support.cpp cli_cluster_support.cpp cli_certify_cluster_test.cpp
  LIBS suanli_reports nlohmann_json::nlohmann_json
  LABELS "mpi;integration"
  PROPERTIES RUN_SERIAL TRUE TIMEOUT 300)
target_compile_definitions(cli_certify_cluster_test PRIVATE SUANLI_MPIEXEC="${MPIEXEC_EXECUTABLE}")
# Certification suites: verdicts from [certify] criteria, figures, capacity, and their audit.
suanli_add_test(cli_certify_verdict_test
  SOURCES cli_support.cpp audit_corpus.cpp cli_certify_verdict_test.cpp
  LIBS suanli_reports suanli_bench nlohmann_json::nlohmann_json LABELS integration)
