// attnscope's own single-precision matrix product (see gemm.c): C = alpha·op(A)·op(B) + beta·C with
// row-major storage, packed BLIS-style, micro-kernels at three instruction-set levels chosen at
// run time, and a pre-packed form of a weight matrix reused across calls.
#ifndef ATTNSCOPE_GEMM_H
#define ATTNSCOPE_GEMM_H

/// Instruction-set levels; a level above what the CPU has is lowered to the best it has.
enum {
  ATTNSCOPE_GEMM_PORTABLE = 0,
  ATTNSCOPE_GEMM_AVX2 = 1,
  ATTNSCOPE_GEMM_AVX512 = 2,
};

/// The widest level this CPU (and its operating system) supports.
int attnscope_gemm_best_level(void);

/// C[m×n] = alpha·op(A)·op(B) + beta·C, all row-major: op(A) is A [m, k] (lda ≥ k) or, with
/// transA, Aᵀ of A [k, m] (lda ≥ m); likewise op(B) is B [k, n] or Bᵀ of B [n, k]. beta = 0 never
/// reads C. Runs on the calling thread (the caller splits large products over threads).
void attnscope_sgemm(
  int level, int transA, int transB, long m, long n, long k, float alpha, const float *a, long lda,
  const float *b, long ldb, float beta, float *c, long ldc);

/// Columns per panel of a pre-packed weight at `level` (after lowering): its n is padded to this.
long attnscope_gemm_panel_width(int level);

/// Floats a pre-packed [n, k] weight needs at `level` (n rounded up to the panel width, times k).
long attnscope_gemm_packed_size(int level, long n, long k);

/// Packs rows [row0, row0 + rows) of a weight W [n, k] (the `rows` given here at w, row stride ldw)
/// into `packed` (attnscope_gemm_packed_size floats, 64-byte aligned), so that W's product
/// X·Wᵀ can skip packing: row0 must be a multiple of the panel width, and rows too unless they
/// end the matrix (the tail of the last panel is zero-filled). Rows may be packed in any order.
void attnscope_gemm_pack_weight_rows(
  int level, float *packed, long n, long k, long row0, long rows, const float *w, long ldw);

/// C[m × (columnEnd − columnBegin)] = alpha·op(A)·Wᵀ[:, columnBegin..<columnEnd] + beta·C with W
/// pre-packed at `level` (the same level as packing): columns of the full [m, n] result, written
/// from c (C's column columnBegin). columnBegin must be a multiple of the panel width, so that
/// threads can each take a band of panels.
void attnscope_sgemm_packed(
  int level, int transA, long m, long n, long k, float alpha, const float *a, long lda,
  const float *packed, long columnBegin, long columnEnd, float beta, float *c, long ldc);

/// Runs `iterations` rounds of independent fused multiply-adds at `level` on the calling thread
/// (the result goes to *sink so the loop is kept) and returns the floating-point operations done.
double attnscope_probe_fma(int level, long iterations, float *sink);

/// The sum of `count` floats, read once in order (a memory-bandwidth probe over a large buffer).
float attnscope_probe_read(const float *values, long count);

#endif
