// Elementwise kernels of the engine's hot paths, in C so the compiler vectorises them: a
// polynomial exp, softmax of a contiguous row, and the activations. See kernels.c.
#ifndef ATTNSCOPE_KERNELS_H
#define ATTNSCOPE_KERNELS_H

/// e^x for `count` values in place (relative error about 2e-7; below -87.3 gives ~1e-38).
void attnscope_exp(float *values, long count);
/// Softmax of `count` contiguous values in place (max subtracted first).
void attnscope_softmax(float *row, long count);
/// 0.5·x·(1 + erf(x/√2)), erf by Abramowitz & Stegun 7.1.26 (absolute error < 1.5e-7).
void attnscope_gelu_erf(float *values, long count);
/// 0.5·x·(1 + tanh(√(2/π)(x + 0.044715x³))), GPT-2's gelu_new.
void attnscope_gelu_tanh(float *values, long count);
/// x·σ(x).
void attnscope_silu(float *values, long count);
/// max(0, x).
void attnscope_relu(float *values, long count);
/// Keeps blocks up to 32 MB on the heap and stops trimming it below 1 GB (glibc; elsewhere a no-op).
void attnscope_keep_large_buffers(void);

/// bfloat16 bits → float (exact: the top half of a binary32), `count` values.
void attnscope_bf16_to_f32(const unsigned short *source, float *destination, long count);
/// IEEE binary16 bits → float (exact, subnormals, infinities and NaN payloads kept).
void attnscope_f16_to_f32(const unsigned short *source, float *destination, long count);

#endif
