/* keep_loaded: an LD_PRELOAD library for the ASan test run (tools/sanitize_test.sh) only.
 *
 * Open MPI unloads its components (mca_*.so) with dlclose() in MPI_Finalize. What they still
 * hold at exit then has no module to be named by, so LeakSanitizer cannot tell Open MPI's
 * allocations (suppressed in lsan.supp) from suanli's. With dlclose() a no-op every library
 * stays mapped until exit and every leak has a named stack. Never used outside that run. */
int dlclose(void *handle) {
  (void)handle;
  return 0;
}
