// The hand-vectorised kernels of matvec_x86.c, for the dispatch in matvec.c and dequantize.c.
#ifndef ATTNSCOPE_MATVEC_X86_H
#define ATTNSCOPE_MATVEC_X86_H

/// One weight row (`blocks` blocks) times 1, 2 or 4 input rows (x, x + xs, …) into out[0..<rows].
typedef void (*row_kernel)(const unsigned char *row, long blocks, const float *x, long xs, float *out);

/// For 1, 2 and 4 input rows, the kernels of `type` at `level` (already lowered to the CPU's), or
/// NULL where only the generic chunked kernel exists.
const row_kernel *attnscope_quant_row_kernels(int type, int level);

/// Decodes `blocks` blocks of a row, bit for bit as quant_blocks.h does.
typedef void (*row_decoder)(const unsigned char *src, float *dst, long blocks);

/// The hand-vectorised exact decoder of `type` at `level`, or NULL (then the compiler-vectorised
/// copies of quant_blocks.h in dequantize.c are used).
row_decoder attnscope_quant_row_decoder(int type, int level);

/// One weight row (`blocks` blocks of 32) times 1, 2 or 4 input rows, with each input row's block
/// sums: sums + i·ss holds (0, c·Σ x over block b) at 2b, 2b + 1 for every block, zero-padded to a
/// multiple of 16 blocks (matvec_scaled_x86.c).
typedef void (*scaled_kernel)(const unsigned char *row, long blocks, const float *x, long xs,
                              const float *sums, long ss, float *out);

/// The block-scaled kernels of `type` at `level` for 1, 2 and 4 input rows and the factor c of the
/// block sums they take, or NULL.
const scaled_kernel *attnscope_quant_scaled_kernels(int type, int level, float *offsetFactor);

#endif
