// Fused products of quantised rows with 1–16 input vectors: each weight row is walked once, a
// chunk of at most 256 values at a time decoded into a 1 KB buffer that stays in L1, and that
// chunk is multiplied into every input row before the next is decoded — so a decode step (memory
// bound: every weight byte is read once per token) reads the packed bytes and never writes a
// float tile. llama.cpp's ggml-cpu `vec_dot_*` kernels work block by block the same way (they
// quantise x to 8 bits first; here x stays float32, so the product is the float32 product of the
// exact dequantised weights, summed in eight or sixteen lanes).
#include "attnscope_quant.h"
#include "quant_blocks.h"
#include "matvec_x86.h"

#include <stdlib.h>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define MV_X86 1
#define MV_AVX2 __attribute__((target("avx2,fma,f16c")))
#define MV_AVX512 __attribute__((target("avx512f,avx512bw,avx512vl,avx2,fma,f16c")))
#endif

enum { MV_CHUNK = 256, MV_MAX_N = 16 };

QB_INLINE void qb_f32(const uint8_t *b, float *out) { memcpy(out, b, 4); }
QB_INLINE void qb_f16(const uint8_t *b, float *out) { *out = qb_half(b); }
QB_INLINE void qb_bf16(const uint8_t *b, float *out) {
  uint32_t bits = ((uint32_t)b[0] | ((uint32_t)b[1] << 8)) << 16;
  memcpy(out, &bits, 4);
}

// ---- Portable: eight partial sums per input row (a shape compilers vectorise without
// reassociating anything themselves).
#define MV_PORTABLE(name, BS, BYTES)                                                          \
  static void portable_mv_##name(const uint8_t *w, long columns, long r0, long r1,          \
                                 const float *x, long n, float *y, long ys) {                 \
    const long blocks = columns / (BS), rowBytes = blocks * (BYTES);                          \
    const long perChunk = MV_CHUNK / (BS);                                                    \
    float buf[MV_CHUNK];                                                                      \
    for (long r = r0; r < r1; r++) {                                                          \
      const uint8_t *row = w + r * rowBytes;                                                  \
      float acc[MV_MAX_N][8] = {{0}};                                                         \
      for (long b0 = 0; b0 < blocks; b0 += perChunk) {                                        \
        long nb = blocks - b0 < perChunk ? blocks - b0 : perChunk;                            \
        for (long k = 0; k < nb; k++) qb_##name(row + (b0 + k) * (BYTES), buf + k * (BS));    \
        long len = nb * (BS), col = b0 * (BS);                                                \
        for (long i = 0; i < n; i++) {                                                        \
          const float *xi = x + i * columns + col;                                            \
          long l = 0;                                                                         \
          for (; l + 8 <= len; l += 8)                                                        \
            for (int v = 0; v < 8; v++) acc[i][v] += buf[l + v] * xi[l + v];                  \
          for (; l < len; l++) acc[i][l & 7] += buf[l] * xi[l];                               \
        }                                                                                     \
      }                                                                                       \
      for (long i = 0; i < n; i++) {                                                          \
        float s = 0;                                                                          \
        for (int v = 0; v < 8; v++) s += acc[i][v];                                           \
        y[i * ys + r] = s;                                                                    \
      }                                                                                       \
    }                                                                                         \
  }

#define MV_TYPES(X) \
  X(f32, 1, 4) X(f16, 1, 2) X(bf16, 1, 2) X(q4_0, 32, 18) X(q4_1, 32, 20) X(q5_0, 32, 22) \
  X(q5_1, 32, 24) X(q8_0, 32, 34) X(q2_k, 256, 84) X(q3_k, 256, 110) X(q4_k, 256, 144)   \
  X(q5_k, 256, 176) X(q6_k, 256, 210)

MV_TYPES(MV_PORTABLE)

#ifdef MV_X86
MV_AVX2 static inline float hsum256(__m256 v) {
  __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
  s = _mm_add_ps(s, _mm_movehl_ps(s, s));
  s = _mm_add_ss(s, _mm_movehdup_ps(s));
  return _mm_cvtss_f32(s);
}

// ---- AVX2 and AVX-512: the same chunked walk with vector accumulators per input row.
#define MV_VECTOR(prefix, attribute, VEC, WIDTH, ZERO, LOAD, FMA, HSUM, name, BS, BYTES)       \
  attribute static void prefix##_mv_##name(const uint8_t *w, long columns, long r0, long r1, \
                                           const float *x, long n, float *y, long ys) {       \
    const long blocks = columns / (BS), rowBytes = blocks * (BYTES);                          \
    const long perChunk = MV_CHUNK / (BS);                                                    \
    float buf[MV_CHUNK] __attribute__((aligned(64)));                                         \
    for (long r = r0; r < r1; r++) {                                                          \
      const uint8_t *row = w + r * rowBytes;                                                  \
      VEC acc[MV_MAX_N];                                                                      \
      float tail[MV_MAX_N];                                                                   \
      for (long i = 0; i < n; i++) { acc[i] = ZERO(); tail[i] = 0; }                          \
      for (long b0 = 0; b0 < blocks; b0 += perChunk) {                                        \
        long nb = blocks - b0 < perChunk ? blocks - b0 : perChunk;                            \
        for (long k = 0; k < nb; k++) qb_##name(row + (b0 + k) * (BYTES), buf + k * (BS));    \
        long len = nb * (BS), col = b0 * (BS), full = len / (WIDTH) * (WIDTH);                \
        for (long i = 0; i < n; i++) {                                                        \
          const float *xi = x + i * columns + col;                                            \
          VEC a = acc[i];                                                                     \
          for (long l = 0; l < full; l += (WIDTH)) a = FMA(LOAD(buf + l), LOAD(xi + l), a);   \
          acc[i] = a;                                                                         \
          for (long l = full; l < len; l++) tail[i] += buf[l] * xi[l];                        \
        }                                                                                     \
      }                                                                                       \
      for (long i = 0; i < n; i++) y[i * ys + r] = HSUM(acc[i]) + tail[i];                    \
    }                                                                                         \
  }

#define MV_AVX2_TYPE(name, BS, BYTES) \
  MV_VECTOR(avx2, MV_AVX2, __m256, 8, _mm256_setzero_ps, _mm256_loadu_ps, _mm256_fmadd_ps, hsum256, name, BS, BYTES)
#define MV_AVX512_TYPE(name, BS, BYTES) \
  MV_VECTOR(avx512, MV_AVX512, __m512, 16, _mm512_setzero_ps, _mm512_loadu_ps, _mm512_fmadd_ps, _mm512_reduce_add_ps, name, BS, BYTES)
MV_TYPES(MV_AVX2_TYPE)
MV_TYPES(MV_AVX512_TYPE)
#endif

typedef void (*mv_fn)(const uint8_t *, long, long, long, const float *, long, float *, long);

static mv_fn mv_function(int type, int level) {
#ifdef MV_X86
#define MV_PICK(name) \
  (level == ATTNSCOPE_QUANT_AVX512 ? avx512_mv_##name : level == ATTNSCOPE_QUANT_AVX2 ? avx2_mv_##name : portable_mv_##name)
#else
#define MV_PICK(name) portable_mv_##name
#endif
  switch (type) {
  case 0: return MV_PICK(f32);
  case 1: return MV_PICK(f16);
  case 30: return MV_PICK(bf16);
  case 2: return MV_PICK(q4_0);
  case 3: return MV_PICK(q4_1);
  case 6: return MV_PICK(q5_0);
  case 7: return MV_PICK(q5_1);
  case 8: return MV_PICK(q8_0);
  case 10: return MV_PICK(q2_k);
  case 11: return MV_PICK(q3_k);
  case 12: return MV_PICK(q4_k);
  case 13: return MV_PICK(q5_k);
  case 14: return MV_PICK(q6_k);
  default: return 0;
  }
#undef MV_PICK
}

// The block-scaled kernels (matvec_scaled_x86.c) with x's block sums, (0, c·Σ x) per block of 32
// — computed here once for all the rows — zero-padded to whole groups of 16 blocks. The sums of up
// to 16 rows of 8192 values fit the stack buffer; longer rows take the heap.
static int scaled_matvec(const scaled_kernel *kernels, float factor, int type, const void *weights,
                         long columns, long r0, long r1, const float *x, long n, float *y, long ys) {
  const long blocks = columns / 32, stride = 2 * ((blocks + 15) / 16 * 16);
  float local[MV_MAX_N * 2 * 256];
  float *sums = n * stride <= (long)(sizeof local / sizeof *local) ? local : malloc(sizeof(float) * n * stride);
  if (!sums) return -1;
  for (long i = 0; i < n; i++) {
    float *s = sums + i * stride;
    for (long b = 0; b < stride / 2; b++) {
      float total = 0;
      if (b < blocks)
        for (int l = 0; l < 32; l++) total += x[i * columns + b * 32 + l];
      s[2 * b] = 0;
      s[2 * b + 1] = factor * total;
    }
  }
  const long rowBytes = blocks * attnscope_quant_block_bytes(type);
  for (long r = r0; r < r1; r++) {
    const uint8_t *row = (const uint8_t *)weights + r * rowBytes;
    for (long i = 0; i < n;) {
      long group = n - i >= 4 ? 4 : n - i >= 2 ? 2 : 1;
      float out[4];
      kernels[group == 4 ? 2 : group - 1](row, blocks, x + i * columns, columns, sums + i * stride, stride, out);
      for (long k = 0; k < group; k++) y[(i + k) * ys + r] = out[k];
      i += group;
    }
  }
  if (sums != local) free(sums);
  return 0;
}

int attnscope_quant_matvec(
    int type, int level, const void *weights, long columns, long rowBegin, long rowEnd,
    const float *x, long n, float *y, long yStride) {
  long per = attnscope_quant_block_elements(type);
  if (per == 0 || columns < 0 || columns % per != 0 || n < 1 || n > MV_MAX_N) return -1;
  if (rowBegin < 0 || rowEnd < rowBegin) return -1;
  int best = attnscope_quant_best_level();
  level = level < 0 ? 0 : (level < best ? level : best);
  float factor = 0;
  const scaled_kernel *scaled = attnscope_quant_scaled_kernels(type, level, &factor);
  if (scaled) return scaled_matvec(scaled, factor, type, weights, columns, rowBegin, rowEnd, x, n, y, yStride);
  const row_kernel *fast = attnscope_quant_row_kernels(type, level);
  if (fast) {
    // Each weight row once per group of 4, 2 or 1 input rows (the row stays in L1 between groups).
    const long blocks = columns / per, rowBytes = blocks * attnscope_quant_block_bytes(type);
    for (long r = rowBegin; r < rowEnd; r++) {
      const uint8_t *row = (const uint8_t *)weights + r * rowBytes;
      for (long i = 0; i < n;) {
        long group = n - i >= 4 ? 4 : n - i >= 2 ? 2 : 1;
        float out[4];
        fast[group == 4 ? 2 : group - 1](row, blocks, x + i * columns, columns, out);
        for (long k = 0; k < group; k++) y[(i + k) * yStride + r] = out[k];
        i += group;
      }
    }
    return 0;
  }
  mv_fn f = mv_function(type, level);
  if (!f) return -1;
  f((const uint8_t *)weights, columns, rowBegin, rowEnd, x, n, y, yStride);
  return 0;
}
