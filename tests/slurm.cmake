# A real single-host Slurm (slurmctld, slurmd, munge on loopback, PMIx) launching an OpenMPI
# program with srun and mpirun: tools/slurm/selftest.sh (its own 120 s limit; leaves nothing
# running).
add_test(NAME slurm_local_harness COMMAND "${PROJECT_SOURCE_DIR}/tools/slurm/selftest.sh")
set_tests_properties(slurm_local_harness PROPERTIES LABELS slurm TIMEOUT 300 RUN_SERIAL TRUE)

# `suanli run --suite collectives-quick` with 2 ranks under that Slurm, by `srun --mpi=pmix` and
# by `sbatch --wait tools/slurm/suanli.sbatch`; both signed cluster reports must pass
# `suanli verify` and show launcher srun, 2 ranks, every case pass: tools/slurm/suanli_selftest.sh
# (apt install up to 600 s if the packages are missing, then its own 420 s limit, 180 s per run;
# leaves nothing running; on failure the logs are copied to <build>/Testing/slurm-suanli/).
add_test(NAME slurm_suanli_collectives
         COMMAND "${PROJECT_SOURCE_DIR}/tools/slurm/suanli_selftest.sh" $<TARGET_FILE:suanli>
                 "${PROJECT_BINARY_DIR}")
set_tests_properties(slurm_suanli_collectives PROPERTIES LABELS slurm TIMEOUT 1080 RUN_SERIAL TRUE)
