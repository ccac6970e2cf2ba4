# A rank killed (SIGKILL) or hung (SIGSTOP) in the middle of a collective run: the job ends by
# itself within the timeout, without a report (tests/cluster_faults.sh).
foreach(mode kill stop)
  add_test(NAME cluster_fault_${mode}
           COMMAND "${CMAKE_CURRENT_SOURCE_DIR}/cluster_faults.sh" "${MPIEXEC_EXECUTABLE}"
                   "$<TARGET_FILE:suanli>" "${CMAKE_CURRENT_SOURCE_DIR}/data/cluster_faults/long.toml"
                   ${mode})
  set_tests_properties(cluster_fault_${mode} PROPERTIES LABELS "mpi;integration" TIMEOUT 180
                                                        RUN_SERIAL TRUE)
endforeach()
