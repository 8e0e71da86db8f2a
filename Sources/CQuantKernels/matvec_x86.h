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

#endif
