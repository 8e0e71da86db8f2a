// The hand-vectorised row kernels of matvec_x86.c, for matvec.c's dispatch.
#ifndef ATTNSCOPE_MATVEC_X86_H
#define ATTNSCOPE_MATVEC_X86_H

/// One weight row (`blocks` blocks) times 1, 2 or 4 input rows (x, x + xs, …) into out[0..<rows].
typedef void (*row_kernel)(const unsigned char *row, long blocks, const float *x, long xs, float *out);

/// For 1, 2 and 4 input rows, the kernels of `type` at `level` (already lowered to the CPU's), or
/// NULL where only the generic chunked kernel exists.
const row_kernel *attnscope_quant_row_kernels(int type, int level);

#endif
