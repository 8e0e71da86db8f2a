// attnscope's single-precision matrix product, organised as Goto & van de Geijn, "Anatomy of
// high-performance matrix multiplication" (ACM TOMS 34(3), 2008) and Van Zee & van de Geijn,
// "BLIS: a framework for rapidly instantiating BLAS functionality" (ACM TOMS 41(3), 2015):
// five loops around a register-blocked micro-kernel. A kc × nc block of op(B) is packed into
// panels NR columns wide (kept in L3, each kc × NR panel reused from L1), an mc × kc block of
// op(A) into panels MR rows tall (kept in L2), and the micro-kernel accumulates an MR × NR tile of C
// in registers, reading one A panel and one B panel per k step. The transposes only change how
// the packing reads memory, so one kernel serves every op(A)·op(B).
//
// Three kernels, chosen at run time with __builtin_cpu_supports (function-level target
// attributes, so the target builds without -mavx512f): AVX-512 12 × 32 (24 zmm accumulators,
// two B vectors, one broadcast), AVX2+FMA 6 × 16, and a portable 4 × 16 in plain C. A weight
// matrix can be packed once into the B panel layout (attnscope_gemm_pack_weight_rows) and reused.
// Decode steps (a few rows times a weight W [n, k] used as Wᵀ) skip packing altogether: each W
// row is read once, straight from memory, into dot products with every input row.
#include "attnscope_gemm.h"

#include <stdlib.h>
#include <string.h>

#if defined(__x86_64__) || defined(__i386__)
#define GEMM_X86 1
#include <immintrin.h>
#define GEMM_AVX2 __attribute__((target("avx2,fma")))
#define GEMM_AVX512 __attribute__((target("avx512f,avx512vl,avx512bw,avx2,fma")))
#define GEMM_INLINE static inline __attribute__((always_inline))
#endif

int attnscope_gemm_best_level(void) {
#if GEMM_X86
  if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl") &&
      __builtin_cpu_supports("avx512bw"))
    return ATTNSCOPE_GEMM_AVX512;
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return ATTNSCOPE_GEMM_AVX2;
#endif
  return ATTNSCOPE_GEMM_PORTABLE;
}

static int lowered(int level) {
  int best = attnscope_gemm_best_level();
  if (level < 0) return 0;
  return level < best ? level : best;
}

/// The micro-kernel contract: C[mr × nr] = alpha · Apanel · Bpanel + beta · C (beta = 0 does not
/// read C), Apanel kc × MR (p-major, rows past mr zero), Bpanel kc × NR (columns past nr zero).
typedef void (*micro_kernel)(
  long kc, const float *a, const float *b, float *c, long ldc, int mr, int nr, float alpha, float beta);

/// Register tile and cache blocks of one level. kc × NR floats of B fit L1 (48 KB) beside the A
/// panel; mc × kc of A fit L2 (2 MB here, 1 MB on Zen 4/5); kc × nc of B sit in L3.
typedef struct {
  int mr, nr;
  long kc, mc, nc;
  micro_kernel kernel;
} gemm_level;

// MARK: packing (plain C: its cost is O(mk + kn) against the O(mnk) product)

/// Rows i0 ..< i0+rows, depth p0 ..< p0+kc of op(A) into MR-row panels, zero-padded.
static void pack_a(
  int trans, const float *a, long lda, long i0, long rows, long p0, long kc, int mr, float *dst) {
  for (long i = 0; i < rows; i += mr) {
    long h = rows - i < mr ? rows - i : mr;
    if (trans) {
      for (long p = 0; p < kc; p++, dst += mr) {
        const float *src = a + (p0 + p) * lda + i0 + i;
        for (long r = 0; r < h; r++) dst[r] = src[r];
        for (long r = h; r < mr; r++) dst[r] = 0;
      }
    } else {
      for (long p = 0; p < kc; p++, dst += mr) {
        const float *src = a + (i0 + i) * lda + p0 + p;
        for (long r = 0; r < h; r++) dst[r] = src[r * lda];
        for (long r = h; r < mr; r++) dst[r] = 0;
      }
    }
  }
}

/// Depth p0 ..< p0+kc, columns j0 ..< j0+cols of op(B) into NR-column panels, zero-padded.
static void pack_b(
  int trans, const float *b, long ldb, long p0, long kc, long j0, long cols, int nr, float *dst) {
  for (long j = 0; j < cols; j += nr, dst += kc * nr) {
    long w = cols - j < nr ? cols - j : nr;
    if (trans) {
      // B is stored [n, k] (a weight [out, in]): column c of the panel is a contiguous run of row
      // j0+j+c. Eight rows are read side by side so each step writes 32 contiguous bytes.
      long c = 0;
      for (; c + 8 <= w; c += 8) {
        const float *src = b + (j0 + j + c) * ldb + p0;
        for (long p = 0; p < kc; p++)
          for (long q = 0; q < 8; q++) dst[p * nr + c + q] = src[q * ldb + p];
      }
      for (; c < w; c++) {
        const float *src = b + (j0 + j + c) * ldb + p0;
        for (long p = 0; p < kc; p++) dst[p * nr + c] = src[p];
      }
      for (c = w; c < nr; c++)
        for (long p = 0; p < kc; p++) dst[p * nr + c] = 0;
    } else {
      for (long p = 0; p < kc; p++) {
        memcpy(dst + p * nr, b + (p0 + p) * ldb + j0 + j, (size_t)w * sizeof(float));
        for (long c = w; c < nr; c++) dst[p * nr + c] = 0;
      }
    }
  }
}

// MARK: micro-kernels

/// Adds the tile `t` (mr × nr, row stride NR) into C: C = alpha·t + beta·C.
static void store_tile(const float *t, int stride, float *c, long ldc, int mr, int nr, float alpha, float beta) {
  for (int r = 0; r < mr; r++)
    for (int j = 0; j < nr; j++) {
      float value = alpha * t[r * stride + j];
      c[r * ldc + j] = beta == 0 ? value : value + beta * c[r * ldc + j];
    }
}

enum { PORTABLE_MR = 4, PORTABLE_NR = 16 };

static void kernel_portable(
  long kc, const float *a, const float *b, float *c, long ldc, int mr, int nr, float alpha, float beta) {
  float acc[PORTABLE_MR][PORTABLE_NR] = {{0}};
  for (long p = 0; p < kc; p++, a += PORTABLE_MR, b += PORTABLE_NR)
    for (int r = 0; r < PORTABLE_MR; r++)
      for (int j = 0; j < PORTABLE_NR; j++) acc[r][j] += a[r] * b[j];
  store_tile(&acc[0][0], PORTABLE_NR, c, ldc, mr, nr, alpha, beta);
}

#if GEMM_X86

enum { AVX2_MR = 6, AVX2_NR = 16 };

GEMM_AVX2 static void kernel_avx2(
  long kc, const float *a, const float *b, float *c, long ldc, int mr, int nr, float alpha, float beta) {
  __m256 acc[AVX2_MR][2];
  for (int r = 0; r < AVX2_MR; r++) acc[r][0] = acc[r][1] = _mm256_setzero_ps();
  for (long p = 0; p < kc; p++, a += AVX2_MR, b += AVX2_NR) {
    __m256 b0 = _mm256_loadu_ps(b), b1 = _mm256_loadu_ps(b + 8);
    for (int r = 0; r < AVX2_MR; r++) {
      __m256 av = _mm256_broadcast_ss(a + r);
      acc[r][0] = _mm256_fmadd_ps(av, b0, acc[r][0]);
      acc[r][1] = _mm256_fmadd_ps(av, b1, acc[r][1]);
    }
  }
  if (nr == AVX2_NR) {
    __m256 va = _mm256_set1_ps(alpha), vb = _mm256_set1_ps(beta);
    for (int r = 0; r < mr; r++) {
      float *row = c + r * ldc;
      __m256 x0 = _mm256_mul_ps(acc[r][0], va), x1 = _mm256_mul_ps(acc[r][1], va);
      if (beta != 0) {
        x0 = _mm256_fmadd_ps(vb, _mm256_loadu_ps(row), x0);
        x1 = _mm256_fmadd_ps(vb, _mm256_loadu_ps(row + 8), x1);
      }
      _mm256_storeu_ps(row, x0);
      _mm256_storeu_ps(row + 8, x1);
    }
    return;
  }
  float t[AVX2_MR * AVX2_NR];
  for (int r = 0; r < AVX2_MR; r++) {
    _mm256_storeu_ps(t + r * AVX2_NR, acc[r][0]);
    _mm256_storeu_ps(t + r * AVX2_NR + 8, acc[r][1]);
  }
  store_tile(t, AVX2_NR, c, ldc, mr, nr, alpha, beta);
}

enum { AVX512_MR = 12, AVX512_NR = 32 };

/// The 12 × 32 tile with its first MR rows live; MR is a constant at every call site, so the
/// loops unroll and the accumulators stay in registers (24 of the 32 zmm).
GEMM_INLINE GEMM_AVX512 void tile_avx512(
  const int MR, long kc, const float *a, const float *b, float *c, long ldc, int nr, float alpha,
  float beta) {
  __m512 acc[AVX512_MR][2];
  for (int r = 0; r < MR; r++) acc[r][0] = acc[r][1] = _mm512_setzero_ps();
  for (long p = 0; p < kc; p++, a += AVX512_MR, b += AVX512_NR) {
    __m512 b0 = _mm512_loadu_ps(b), b1 = _mm512_loadu_ps(b + 16);
    for (int r = 0; r < MR; r++) {
      __m512 av = _mm512_set1_ps(a[r]);
      acc[r][0] = _mm512_fmadd_ps(av, b0, acc[r][0]);
      acc[r][1] = _mm512_fmadd_ps(av, b1, acc[r][1]);
    }
  }
  __mmask16 m0 = nr >= 16 ? 0xFFFF : (__mmask16)((1u << nr) - 1);
  __mmask16 m1 = nr >= 32 ? 0xFFFF : nr > 16 ? (__mmask16)((1u << (nr - 16)) - 1) : 0;
  __m512 va = _mm512_set1_ps(alpha), vb = _mm512_set1_ps(beta);
  for (int r = 0; r < MR; r++) {
    float *row = c + r * ldc;
    __m512 x0 = _mm512_mul_ps(acc[r][0], va), x1 = _mm512_mul_ps(acc[r][1], va);
    if (beta != 0) {
      x0 = _mm512_fmadd_ps(vb, _mm512_maskz_loadu_ps(m0, row), x0);
      x1 = _mm512_fmadd_ps(vb, _mm512_maskz_loadu_ps(m1, row + 16), x1);
    }
    _mm512_mask_storeu_ps(row, m0, x0);
    _mm512_mask_storeu_ps(row + 16, m1, x1);
  }
}

GEMM_AVX512 static void kernel_avx512(
  long kc, const float *a, const float *b, float *c, long ldc, int mr, int nr, float alpha, float beta) {
  switch (mr) {
#define TILE(rows) \
  case rows: tile_avx512(rows, kc, a, b, c, ldc, nr, alpha, beta); break;
    TILE(12) TILE(11) TILE(10) TILE(9) TILE(8) TILE(7) TILE(6) TILE(5) TILE(4) TILE(3) TILE(2) TILE(1)
#undef TILE
    default: break;
  }
}

/// Decode steps: C[m × n] = alpha · A · Wᵀ + beta · C for a few contiguous rows A [m, k] and a
/// weight W [n, k], four weight rows × four input rows at a time, each a 16-wide dot product
/// (masked at the end of k). Every weight byte is read from memory once; the input rows stay in L1.
GEMM_AVX512 static void dots_avx512(
  long m, long n, long k, float alpha, const float *a, long lda, const float *w, long ldw, float beta,
  float *c, long ldc) {
  for (long j = 0; j < n; j += 4) {
    const float *wr[4];
    for (int q = 0; q < 4; q++) wr[q] = w + (j + q < n ? j + q : n - 1) * ldw;
    for (long i = 0; i < m; i += 4) {
      const float *ar[4];
      for (int q = 0; q < 4; q++) ar[q] = a + (i + q < m ? i + q : m - 1) * lda;
      __m512 acc[4][4];
      for (int x = 0; x < 4; x++)
        for (int y = 0; y < 4; y++) acc[x][y] = _mm512_setzero_ps();
      for (long p = 0; p < k; p += 16) {
        __mmask16 mask = k - p >= 16 ? 0xFFFF : (__mmask16)((1u << (k - p)) - 1);
        __m512 wv[4], av[4];
        for (int q = 0; q < 4; q++) wv[q] = _mm512_maskz_loadu_ps(mask, wr[q] + p);
        for (int q = 0; q < 4; q++) av[q] = _mm512_maskz_loadu_ps(mask, ar[q] + p);
        for (int x = 0; x < 4; x++)
          for (int y = 0; y < 4; y++) acc[x][y] = _mm512_fmadd_ps(av[x], wv[y], acc[x][y]);
      }
      for (int x = 0; x < 4 && i + x < m; x++)
        for (int y = 0; y < 4 && j + y < n; y++) {
          float *out = c + (i + x) * ldc + j + y;
          float value = alpha * _mm512_reduce_add_ps(acc[x][y]);
          *out = beta == 0 ? value : value + beta * *out;
        }
    }
  }
}

#endif

static gemm_level level_parameters(int level) {
#if GEMM_X86
  if (level == ATTNSCOPE_GEMM_AVX512)
    return (gemm_level){AVX512_MR, AVX512_NR, 384, 12 * 24, 32 * 96, kernel_avx512};
  if (level == ATTNSCOPE_GEMM_AVX2) return (gemm_level){AVX2_MR, AVX2_NR, 384, 6 * 40, 16 * 192, kernel_avx2};
#endif
  (void)level;
  return (gemm_level){PORTABLE_MR, PORTABLE_NR, 256, 4 * 32, 16 * 128, kernel_portable};
}

// MARK: the five loops

/// Where op(B) comes from: packed here from (trans, b, ldb), or pre-packed panels of the whole
/// weight with this call's columns starting at `column0` (a multiple of NR).
typedef struct {
  int trans;
  const float *b;
  long ldb;
  const float *prepacked;
  long column0;
} b_source;

static void *aligned_floats(long count) {
  size_t bytes = ((size_t)count * sizeof(float) + 63) & ~(size_t)63;
  return aligned_alloc(64, bytes ? bytes : 64);
}

static void scale_c(long m, long n, float beta, float *c, long ldc) {
  for (long i = 0; i < m; i++)
    for (long j = 0; j < n; j++) c[i * ldc + j] = beta == 0 ? 0 : beta * c[i * ldc + j];
}

static void gemm_loops(
  const gemm_level *L, int transA, long m, long n, long k, long kTotal, float alpha, const float *a,
  long lda, b_source B, float beta, float *c, long ldc) {
  long kcBlocks = (k + L->kc - 1) / L->kc;
  long kcStep = (k + kcBlocks - 1) / kcBlocks;  // balanced: no thin last block
  long mcStep = m < L->mc ? (m + L->mr - 1) / L->mr * L->mr : L->mc;
  long ncStep = n < L->nc ? (n + L->nr - 1) / L->nr * L->nr : L->nc;
  float *aPacked = aligned_floats(mcStep * kcStep);
  float *bPacked = B.prepacked ? NULL : aligned_floats(kcStep * ncStep);
  if (!aPacked || (!B.prepacked && !bPacked)) abort();  // out of memory: as any allocation here
  for (long jc = 0; jc < n; jc += ncStep) {
    long nc = n - jc < ncStep ? n - jc : ncStep;
    for (long pc = 0; pc < k; pc += kcStep) {
      long kc = k - pc < kcStep ? k - pc : kcStep;
      float blockBeta = pc == 0 ? beta : 1;
      if (!B.prepacked) pack_b(B.trans, B.b, B.ldb, pc, kc, jc, nc, L->nr, bPacked);
      for (long ic = 0; ic < m; ic += mcStep) {
        long mc = m - ic < mcStep ? m - ic : mcStep;
        pack_a(transA, a, lda, ic, mc, pc, kc, L->mr, aPacked);
        for (long jr = 0; jr < nc; jr += L->nr) {
          int nr = (int)(nc - jr < L->nr ? nc - jr : L->nr);
          const float *panel = B.prepacked
            ? B.prepacked + (B.column0 + jc + jr) / L->nr * kTotal * L->nr + pc * L->nr
            : bPacked + jr / L->nr * kc * L->nr;
          for (long ir = 0; ir < mc; ir += L->mr) {
            int mr = (int)(mc - ir < L->mr ? mc - ir : L->mr);
            L->kernel(
              kc, aPacked + ir / L->mr * kc * L->mr, panel, c + (ic + ir) * ldc + jc + jr, ldc, mr, nr,
              alpha, blockBeta);
          }
        }
      }
    }
  }
  free(aPacked);
  free(bPacked);
}

/// Up to this many rows times a weight used as Wᵀ go through the dot-product path (measured:
/// faster than packing, and than OpenBLAS, from 1 to 32 rows of a 768 × 3072 weight).
enum { DECODE_ROWS = 32 };

void attnscope_sgemm(
  int level, int transA, int transB, long m, long n, long k, float alpha, const float *a, long lda,
  const float *b, long ldb, float beta, float *c, long ldc) {
  if (m <= 0 || n <= 0) return;
  if (k <= 0 || alpha == 0) {
    scale_c(m, n, beta, c, ldc);
    return;
  }
  level = lowered(level);
#if GEMM_X86
  if (level == ATTNSCOPE_GEMM_AVX512 && transB && m <= DECODE_ROWS) {
    if (!transA) {
      dots_avx512(m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
      return;
    }
    float *rows = aligned_floats(m * k);  // Aᵀ's rows made contiguous (m·k is small here)
    if (!rows) abort();
    for (long i = 0; i < m; i++)
      for (long p = 0; p < k; p++) rows[i * k + p] = a[p * lda + i];
    dots_avx512(m, n, k, alpha, rows, k, b, ldb, beta, c, ldc);
    free(rows);
    return;
  }
#endif
  gemm_level L = level_parameters(level);
  b_source source = {transB, b, ldb, NULL, 0};
  gemm_loops(&L, transA, m, n, k, k, alpha, a, lda, source, beta, c, ldc);
}

long attnscope_gemm_panel_width(int level) { return level_parameters(lowered(level)).nr; }

long attnscope_gemm_packed_size(int level, long n, long k) {
  long nr = attnscope_gemm_panel_width(level);
  return (n + nr - 1) / nr * nr * k;
}

void attnscope_gemm_pack_weight_rows(
  int level, float *packed, long n, long k, long row0, long rows, const float *w, long ldw) {
  long nr = attnscope_gemm_panel_width(level);
  if (rows <= 0 || k <= 0 || row0 % nr != 0 || row0 + rows > n) return;
  // The whole depth at once: the panel layout of pack_b with kc = k is the pre-packed layout.
  pack_b(1, w, ldw, 0, k, 0, rows, (int)nr, packed + row0 / nr * k * nr);
}

void attnscope_sgemm_packed(
  int level, int transA, long m, long n, long k, float alpha, const float *a, long lda,
  const float *packed, long columnBegin, long columnEnd, float beta, float *c, long ldc) {
  long columns = columnEnd - columnBegin;
  if (m <= 0 || columns <= 0 || columnEnd > n) return;
  if (k <= 0 || alpha == 0) {
    scale_c(m, columns, beta, c, ldc);
    return;
  }
  gemm_level L = level_parameters(lowered(level));
  if (columnBegin % L.nr != 0) abort();  // a caller's contract broken: never a silent wrong answer
  b_source source = {1, NULL, 0, packed, columnBegin};
  gemm_loops(&L, transA, m, columns, k, k, alpha, a, lda, source, beta, c, ldc);
}
