# Collectives of the CPU plugin over MPI: a plain MPI program with its own main (not GoogleTest:
# every rank is a process), run by mpiexec on 2 and 3 ranks, once with the fault injection
# (exactly one wrong element on one rank must be seen), and once without MPI (comm_init must
# refuse with a reason).
add_executable(cpu_collective_test cpu_collective_test.cpp)
target_link_libraries(cpu_collective_test PRIVATE suanli_abi MPI::MPI_C ${CMAKE_DL_LIBS})
target_compile_definitions(cpu_collective_test PRIVATE OMPI_SKIP_MPICXX=1 MPICH_SKIP_MPICXX=1)
add_dependencies(cpu_collective_test suanli-cpu)
suanli_warnings(cpu_collective_test)

set(cpu_collective_run ${MPIEXEC_EXECUTABLE} --allow-run-as-root --oversubscribe)
set(cpu_collective_args $<TARGET_FILE:cpu_collective_test> $<TARGET_FILE:suanli-cpu>)
add_test(NAME cpu_collective_np2 COMMAND ${cpu_collective_run} -np 2 ${cpu_collective_args})
add_test(NAME cpu_collective_np3 COMMAND ${cpu_collective_run} -np 3 ${cpu_collective_args})
add_test(NAME cpu_collective_fault_np2
         COMMAND ${cpu_collective_run} -np 2 ${cpu_collective_args} fault)
add_test(NAME cpu_collective_no_mpi COMMAND ${cpu_collective_args} no_mpi)
set_tests_properties(cpu_collective_np2 cpu_collective_np3 cpu_collective_fault_np2
                     cpu_collective_no_mpi PROPERTIES
                     LABELS mpi TIMEOUT 120 ENVIRONMENT "OMPI_MCA_rmaps_base_oversubscribe=1")
