// GGML's tensor types decoded to float32 and multiplied without a full decode: the C side of the
// GGUF module. Types are named by their GGML ids (ggml.h `enum ggml_type`, gguf-py
// `GGMLQuantizationType`): F32 0, F16 1, Q4_0 2, Q4_1 3, Q5_0 6, Q5_1 7, Q8_0 8, Q2_K 10,
// Q3_K 11, Q4_K 12, Q5_K 13, Q6_K 14, BF16 30. See quant_blocks.h for the block layouts.
#ifndef ATTNSCOPE_QUANT_H
#define ATTNSCOPE_QUANT_H

/// Instruction-set levels a kernel can run at: the portable C code, AVX2 (with FMA and F16C),
/// AVX-512 (F, BW, VL). A level above what the CPU has is lowered to what it has.
enum {
  ATTNSCOPE_QUANT_PORTABLE = 0,
  ATTNSCOPE_QUANT_AVX2 = 1,
  ATTNSCOPE_QUANT_AVX512 = 2,
};

/// The best level this CPU runs (`__builtin_cpu_supports`); PORTABLE off x86-64.
int attnscope_quant_best_level(void);

/// Elements per block of `type` (1 for F32, F16, BF16; 32 or 256 for the quantised types), or 0
/// for a type these kernels do not decode.
long attnscope_quant_block_elements(int type);
/// Bytes per block of `type`, or 0 for a type these kernels do not decode.
long attnscope_quant_block_bytes(int type);

/// Decodes `elements` values (a whole number of blocks) of `type` from `blocks` into `destination`,
/// bit for bit as gguf-py's `gguf.quants.dequantize` does (the same float32 operations in the same
/// order, never fused). Returns 0, or -1 for an unsupported type or a partial block.
int attnscope_quant_decode(int type, int level, const void *blocks, float *destination, long elements);

/// y[i, r] = Σ_c x[i, c] · W[r, c] for i < n, r in [rowBegin, rowEnd): W holds `columns` values per
/// row of `type` (rowBytes = columns / block elements × block bytes, rows back to back), x is
/// [n, columns] row-major, y is [n, yStride] row-major and only columns rowBegin..<rowEnd of it
/// are written. Blocks are decoded into registers or a small L1 buffer, never a whole tile.
/// float32 sums in an order of their own (not bit-equal to decode-then-BLAS, within rounding).
/// Returns 0, or -1 for an unsupported type, a partial block or n outside 1…16.
int attnscope_quant_matvec(
    int type, int level, const void *weights, long columns, long rowBegin, long rowEnd,
    const float *x, long n, float *y, long yStride);

#endif
