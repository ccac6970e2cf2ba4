/* collective_loop: the plain MPI reference for tools/bench/collective_overhead.sh.
 *
 * For each operation (MPI_Allreduce fp32 sum, MPI_Allgather, MPI_Alltoall on MPI_COMM_WORLD) and
 * each size S from --min-bytes to --max-bytes by factor 2, with the per-rank element counts
 * Suanli uses for S on n ranks (bench/collective_problem.cpp: S is nccl-tests' size; all_reduce:
 * S / 4 floats; all_gather: S / (n * 4) floats sent per rank, n times that gathered; all_to_all:
 * S / (n * 4) floats per peer; S rounded down to a multiple of n * 4 bytes, at least one block),
 * it runs a warm-up, then iterations of
 *
 *   MPI_Barrier; t0 = CLOCK_MONOTONIC; call; t1 = CLOCK_MONOTONIC;
 *   iteration time = max over ranks of t1 - t0 (MPI_Allreduce MAX, after t1, not timed)
 *
 * and prints, on rank 0, one tab-separated line per (op, size): op (Suanli's name), S [bytes],
 * median iteration time [s], iterations. Lines starting with '#' are comments.
 *
 * Buffers: by default allocated per (op, size) as the CPU backend allocates device memory
 * (kernels/cpu/memory.cpp: 64-byte aligned; from 2 MiB up 2 MiB aligned with
 * madvise(MADV_HUGEPAGE), so that transparent huge pages in "madvise" mode back both sides
 * alike), filled once (first touch outside the timing) and reused by every iteration;
 * --alloc malloc allocates them with malloc instead.
 *
 * Stopping rule (the same as the suite tests/perf/collective_overhead.toml gives Suanli): stop
 * when at least --min-iters iterations have run and their summed time is at least --min-time
 * seconds, or at --max-iters iterations, or when --max-time seconds of sampling have passed
 * (after at least 2). Every rank sees the same maxima, so every rank stops at the same
 * iteration without extra messages. Warm-up: at least 3 calls and --warmup seconds of summed
 * call time (at most 10000 calls), with the same barrier and timer so the call path is warm.
 */
#define _DEFAULT_SOURCE /* madvise, MADV_HUGEPAGE; POSIX 2008 */

#include <mpi.h>

#include <sys/mman.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum op_kind { op_all_reduce, op_all_gather, op_all_to_all, op_count };

static const char *const op_names[op_count] = {"all_reduce", "all_gather", "all_to_all"};
static const char *const op_mpi_names[op_count] = {"allreduce", "allgather", "alltoall"};

struct options {
  int ops[op_count];
  uint64_t min_bytes;
  uint64_t max_bytes;
  long min_iters;
  long max_iters;
  double min_time_s;
  double max_time_s;
  double warmup_s;
  int plain_malloc;
};

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int compare_double(const void *a, const void *b) {
  const double x = *(const double *)a;
  const double y = *(const double *)b;
  return (x > y) - (x < y);
}

/* Median with linear interpolation between the two middle values (bench/stats.cpp's 0.5
 * percentile). Sorts v. */
static double median(double *v, long n) {
  qsort(v, (size_t)n, sizeof *v, compare_double);
  if (n % 2 == 1) {
    return v[n / 2];
  }
  return 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

static void usage(FILE *to) {
  fprintf(to,
          "usage: mpirun -np N collective_loop [options]\n"
          "  --ops LIST        comma-separated: all_reduce (allreduce), all_gather (allgather),\n"
          "                    all_to_all (alltoall); default all three\n"
          "  --min-bytes N     smallest S [bytes], default 1024\n"
          "  --max-bytes N     largest S [bytes], default 67108864; sizes go up by factor 2\n"
          "  --min-iters N     at least N timed iterations per size, default 50\n"
          "  --min-time S      and at least S seconds of summed iteration time, default 0.2\n"
          "  --max-iters N     at most N iterations, default 1000 (Suanli's sample cap)\n"
          "  --max-time S      at most S seconds of sampling per size, default 30\n"
          "  --warmup S        warm-up: at least 3 calls and S seconds of call time, default 0.2\n"
          "  --alloc KIND      backend (default: as the CPU backend's mem_alloc, 2 MiB aligned\n"
          "                    with MADV_HUGEPAGE from 2 MiB up) or malloc\n"
          "  --help            this text\n"
          "Output on rank 0, one line per (op, size), tab-separated: op, bytes, median_s, "
          "iterations.\n");
}

static int parse_ops(const char *list, int *ops) {
  for (int i = 0; i < op_count; ++i) {
    ops[i] = 0;
  }
  char *copy = malloc(strlen(list) + 1);
  if (copy == NULL) {
    return 0;
  }
  strcpy(copy, list);
  int ok = 1;
  for (char *save = NULL, *tok = strtok_r(copy, ",", &save); tok != NULL;
       tok = strtok_r(NULL, ",", &save)) {
    int found = 0;
    for (int i = 0; i < op_count; ++i) {
      if (strcmp(tok, op_names[i]) == 0 || strcmp(tok, op_mpi_names[i]) == 0) {
        ops[i] = 1;
        found = 1;
      }
    }
    if (!found) {
      fprintf(stderr, "collective_loop: unknown op '%s'\n", tok);
      ok = 0;
    }
  }
  free(copy);
  return ok;
}

/* Parses argv into o; 0: run, 1: --help shown, 2: error shown. */
static int parse_args(int argc, char **argv, struct options *o, int print) {
  for (int i = 0; i < op_count; ++i) {
    o->ops[i] = 1;
  }
  o->min_bytes = 1024;
  o->max_bytes = (uint64_t)64 << 20;
  o->min_iters = 50;
  o->max_iters = 1000;
  o->min_time_s = 0.2;
  o->max_time_s = 30.0;
  o->warmup_s = 0.2;
  o->plain_malloc = 0;
  for (int i = 1; i < argc; ++i) {
    const char *a = argv[i];
    if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
      if (print) {
        usage(stdout);
      }
      return 1;
    }
    if (i + 1 >= argc) {
      if (print) {
        fprintf(stderr, "collective_loop: unknown or incomplete option '%s'\n", a);
        usage(stderr);
      }
      return 2;
    }
    const char *v = argv[++i];
    char *end = NULL;
    int bad = 0;
    if (strcmp(a, "--ops") == 0) {
      bad = !parse_ops(v, o->ops);
    } else if (strcmp(a, "--min-bytes") == 0) {
      o->min_bytes = strtoull(v, &end, 10);
      bad = *end != '\0' || o->min_bytes == 0;
    } else if (strcmp(a, "--max-bytes") == 0) {
      o->max_bytes = strtoull(v, &end, 10);
      bad = *end != '\0' || o->max_bytes == 0;
    } else if (strcmp(a, "--min-iters") == 0) {
      o->min_iters = strtol(v, &end, 10);
      bad = *end != '\0' || o->min_iters < 1;
    } else if (strcmp(a, "--max-iters") == 0) {
      o->max_iters = strtol(v, &end, 10);
      bad = *end != '\0' || o->max_iters < 1;
    } else if (strcmp(a, "--min-time") == 0) {
      o->min_time_s = strtod(v, &end);
      bad = *end != '\0' || !(o->min_time_s >= 0);
    } else if (strcmp(a, "--max-time") == 0) {
      o->max_time_s = strtod(v, &end);
      bad = *end != '\0' || !(o->max_time_s > 0);
    } else if (strcmp(a, "--warmup") == 0) {
      o->warmup_s = strtod(v, &end);
      bad = *end != '\0' || !(o->warmup_s >= 0);
    } else if (strcmp(a, "--alloc") == 0) {
      o->plain_malloc = strcmp(v, "malloc") == 0;
      bad = !o->plain_malloc && strcmp(v, "backend") != 0;
    } else {
      if (print) {
        fprintf(stderr, "collective_loop: unknown option '%s'\n", a);
        usage(stderr);
      }
      return 2;
    }
    if (bad) {
      if (print) {
        fprintf(stderr, "collective_loop: bad value '%s' for %s\n", v, a);
      }
      return 2;
    }
  }
  if (o->max_bytes < o->min_bytes || o->max_iters < o->min_iters) {
    if (print) {
      fprintf(stderr, "collective_loop: --max-bytes below --min-bytes or --max-iters below "
                      "--min-iters\n");
    }
    return 2;
  }
  return 0;
}

/* bytes of memory as the CPU backend's mem_alloc gives it (kernels/cpu/memory.cpp), or malloc;
 * filled with small integers distinct per rank (exact sums, no denormals, like Suanli's inputs),
 * which also takes the first-touch page faults outside the timing. NULL when out of memory. */
static float *allocate(uint64_t bytes, int plain_malloc, int rank) {
  const uint64_t huge = (uint64_t)2 << 20;
  const uint64_t alignment = bytes >= huge ? huge : 64;
  const uint64_t rounded = bytes == 0 ? alignment : (bytes + alignment - 1) / alignment * alignment;
  void *block = NULL;
  if (plain_malloc) {
    block = malloc(rounded);
  } else if (posix_memalign(&block, alignment, rounded) != 0) {
    block = NULL;
  } else if (alignment == huge) {
    madvise(block, rounded, MADV_HUGEPAGE); /* a hint, as in the backend */
  }
  if (block != NULL) {
    float *f = block;
    for (uint64_t i = 0; i < rounded / sizeof(float); ++i) {
      f[i] = (float)((uint64_t)rank + 1 + i % 61);
    }
  }
  return block;
}

/* One call of op; returns MPI's code. */
static int call(enum op_kind op, const float *send, float *recv, int count) {
  switch (op) {
  case op_all_reduce: return MPI_Allreduce(send, recv, count, MPI_FLOAT, MPI_SUM, MPI_COMM_WORLD);
  case op_all_gather:
    return MPI_Allgather(send, count, MPI_FLOAT, recv, count, MPI_FLOAT, MPI_COMM_WORLD);
  default: return MPI_Alltoall(send, count, MPI_FLOAT, recv, count, MPI_FLOAT, MPI_COMM_WORLD);
  }
}

/* One timed call: barrier, timer around the call, max over ranks (untimed). */
static double timed_call(enum op_kind op, const float *send, float *recv, int count) {
  MPI_Barrier(MPI_COMM_WORLD);
  const double t0 = now_s();
  const int rc = call(op, send, recv, count);
  const double t1 = now_s();
  if (rc != MPI_SUCCESS) {
    fprintf(stderr, "collective_loop: %s returned %d\n", op_names[op], rc);
    MPI_Abort(MPI_COMM_WORLD, 1);
  }
  double mine = t1 - t0;
  double slowest = 0;
  MPI_Allreduce(&mine, &slowest, 1, MPI_DOUBLE, MPI_MAX, MPI_COMM_WORLD);
  return slowest;
}

int main(int argc, char **argv) {
  struct options o;
  /* --help works without mpirun and before MPI_Init (the CTest check runs it that way). */
  const int parsed = parse_args(argc, argv, &o, 1);
  if (parsed != 0) {
    return parsed == 1 ? 0 : 2;
  }
  MPI_Init(&argc, &argv);
  int rank = 0;
  int n = 1;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &n);
  const uint64_t elem = sizeof(float);
  double *samples = malloc((size_t)o.max_iters * sizeof(double));
  if (samples == NULL) {
    fprintf(stderr, "collective_loop: out of memory\n");
    MPI_Abort(MPI_COMM_WORLD, 2);
  }
  if (rank == 0) {
    printf("# collective_loop: %d ranks, MPI_COMM_WORLD, fp32, out of place; barrier + "
           "CLOCK_MONOTONIC per iteration, max over ranks, median over iterations; buffers: %s\n",
           n, o.plain_malloc ? "malloc" : "as the CPU backend (THP hint from 2 MiB)");
    printf("# op\tbytes\tmedian_s\titerations\n");
    fflush(stdout);
  }

  for (int op = 0; op < op_count; ++op) {
    if (!o.ops[op]) {
      continue;
    }
    for (uint64_t s = o.min_bytes; s <= o.max_bytes; s *= 2) {
      /* Suanli's fitted S and count (bench/collective_problem.cpp). */
      uint64_t bytes = s;
      uint64_t count = s / elem;
      if (op != op_all_reduce) {
        const uint64_t unit = (uint64_t)n * elem;
        bytes = s / unit * unit;
        if (bytes == 0) {
          bytes = unit;
        }
        count = bytes / unit;
      }
      if (count > (uint64_t)0x7fffffff) {
        if (rank == 0) {
          fprintf(stderr, "collective_loop: %llu elements is over MPI's int count\n",
                  (unsigned long long)count);
        }
        MPI_Abort(MPI_COMM_WORLD, 2);
      }
      const int c = (int)count;
      /* Suanli's buffer geometry (bench/collective_problem.cpp): all_reduce send = recv = count;
       * all_gather send = count, recv = n * count; all_to_all send = recv = n * count. */
      const uint64_t send_elems = op == op_all_to_all ? count * (uint64_t)n : count;
      const uint64_t recv_elems = op == op_all_reduce ? count : count * (uint64_t)n;
      float *send = allocate(send_elems * elem, o.plain_malloc, rank);
      float *recv = allocate(recv_elems * elem, o.plain_malloc, rank);
      if (send == NULL || recv == NULL) {
        fprintf(stderr, "collective_loop: out of memory for %llu bytes\n",
                (unsigned long long)bytes);
        MPI_Abort(MPI_COMM_WORLD, 2);
      }

      double warm = 0;
      for (long i = 0; i < 10000 && (i < 3 || warm < o.warmup_s); ++i) {
        warm += timed_call((enum op_kind)op, send, recv, c);
      }

      long iters = 0;
      double summed = 0;
      const double start = now_s();
      int go = 1;
      while (go) {
        const double t = timed_call((enum op_kind)op, send, recv, c);
        samples[iters++] = t;
        summed += t;
        if (iters >= o.max_iters || (iters >= o.min_iters && summed >= o.min_time_s)) {
          go = 0;
        } else if (iters >= 2) {
          /* The wall-clock cap is rank 0's decision, shared so every rank stops together. */
          int over = rank == 0 && now_s() - start >= o.max_time_s;
          MPI_Bcast(&over, 1, MPI_INT, 0, MPI_COMM_WORLD);
          go = !over;
        }
      }
      if (rank == 0) {
        printf("%s\t%llu\t%.9e\t%ld\n", op_names[op], (unsigned long long)bytes,
               median(samples, iters), iters);
        fflush(stdout);
      }
      free(recv);
      free(send);
    }
  }
  free(samples);
  MPI_Finalize();
  return 0;
}
