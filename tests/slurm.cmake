# A real single-host Slurm (slurmctld, slurmd, munge on loopback, PMIx) launching an OpenMPI
# program with srun and mpirun: tools/slurm/selftest.sh (its own 120 s limit; leaves nothing
# running). The collectives issue runs `suanli` itself through it.
add_test(NAME slurm_local_harness COMMAND "${PROJECT_SOURCE_DIR}/tools/slurm/selftest.sh")
set_tests_properties(slurm_local_harness PROPERTIES LABELS slurm TIMEOUT 300 RUN_SERIAL TRUE)
