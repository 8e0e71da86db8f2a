// Machine probes for the benchmark header: the FMA throughput this core reaches (independent
// multiply-adds, enough chains to cover the FMA latency on two pipes) and the rate a stream of
// reads reaches (McCalpin's STREAM idea, read-only: a sum over a buffer far larger than the caches).
#include "attnscope_gemm.h"

#if defined(__x86_64__)
#include <immintrin.h>
#define PROBE_AVX2 __attribute__((target("avx2,fma")))
#define PROBE_AVX512 __attribute__((target("avx512f")))

enum { CHAINS = 16 };

PROBE_AVX512 static float fma_avx512(long iterations) {
  __m512 acc[CHAINS];
  __m512 x = _mm512_set1_ps(0.999999f), y = _mm512_set1_ps(1e-7f);
  for (int i = 0; i < CHAINS; i++) acc[i] = _mm512_set1_ps((float)i);
  for (long it = 0; it < iterations; it++)
    for (int i = 0; i < CHAINS; i++) acc[i] = _mm512_fmadd_ps(acc[i], x, y);
  for (int i = 1; i < CHAINS; i++) acc[0] = _mm512_add_ps(acc[0], acc[i]);
  return _mm512_reduce_add_ps(acc[0]);
}

PROBE_AVX2 static float fma_avx2(long iterations) {
  __m256 acc[CHAINS];
  __m256 x = _mm256_set1_ps(0.999999f), y = _mm256_set1_ps(1e-7f);
  for (int i = 0; i < CHAINS; i++) acc[i] = _mm256_set1_ps((float)i);
  for (long it = 0; it < iterations; it++)
    for (int i = 0; i < CHAINS; i++) acc[i] = _mm256_fmadd_ps(acc[i], x, y);
  for (int i = 1; i < CHAINS; i++) acc[0] = _mm256_add_ps(acc[0], acc[i]);
  float lanes[8];
  _mm256_storeu_ps(lanes, acc[0]);
  return lanes[0];
}
#endif

double attnscope_probe_fma(int level, long iterations, float *sink) {
  int best = attnscope_gemm_best_level();
  level = level < best ? level : best;
#if defined(__x86_64__)
  if (level >= ATTNSCOPE_GEMM_AVX512) {
    *sink = fma_avx512(iterations);
    return 2.0 * 16 * CHAINS * (double)iterations;
  }
  if (level == ATTNSCOPE_GEMM_AVX2) {
    *sink = fma_avx2(iterations);
    return 2.0 * 8 * CHAINS * (double)iterations;
  }
#endif
  float acc[4] = {0, 1, 2, 3};
  for (long it = 0; it < iterations; it++)
    for (int i = 0; i < 4; i++) acc[i] = acc[i] * 0.999999f + 1e-7f;
  *sink = acc[0] + acc[1] + acc[2] + acc[3];
  return 2.0 * 4 * (double)iterations;
}

float attnscope_probe_read(const float *values, long count) {
  // 32 independent partial sums: the adds never wait on each other, so loads set the pace.
  float partial[32] = {0};
  long i = 0;
  for (; i + 32 <= count; i += 32)
    for (int lane = 0; lane < 32; lane++) partial[lane] += values[i + lane];
  float sum = 0;
  for (int lane = 0; lane < 32; lane++) sum += partial[lane];
  for (; i < count; i++) sum += values[i];
  return sum;
}
