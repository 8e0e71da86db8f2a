// Elementwise kernels of the engine's hot paths, in C so the compiler vectorises them: a
// polynomial exp, softmax of a contiguous row, the activations and the norms, each at the widest
// instruction set the CPU has (the `_at` forms take a level: 0 baseline, 1 AVX2, 2 AVX-512,
// lowered to what the CPU has). See kernels.c.
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
/// LayerNorm of `rows` rows of `width` in place (biased variance, as F.layer_norm).
void attnscope_layer_norm_rows(
  float *x, long rows, long width, const float *weight, const float *bias, float epsilon);
/// RMSNorm of `rows` rows in place: x / √(mean(x²) + ε) · scale.
void attnscope_rms_norm_rows(float *x, long rows, long width, const float *scale, float epsilon);

/// The widest level this CPU supports (0 baseline x86-64 or not x86, 1 AVX2+FMA, 2 AVX-512).
int attnscope_kernels_best_level(void);
void attnscope_exp_at(int level, float *values, long count);
void attnscope_softmax_at(int level, float *row, long count);
void attnscope_gelu_erf_at(int level, float *values, long count);
void attnscope_gelu_tanh_at(int level, float *values, long count);
void attnscope_silu_at(int level, float *values, long count);
void attnscope_relu_at(int level, float *values, long count);
void attnscope_layer_norm_rows_at(
  int level, float *x, long rows, long width, const float *weight, const float *bias, float epsilon);
void attnscope_rms_norm_rows_at(int level, float *x, long rows, long width, const float *scale, float epsilon);

/// Keeps blocks up to 32 MB on the heap and stops trimming it below 1 GB (glibc; elsewhere a no-op).
void attnscope_keep_large_buffers(void);

/// bfloat16 bits → float (exact: the top half of a binary32), `count` values.
void attnscope_bf16_to_f32(const unsigned short *source, float *destination, long count);
/// IEEE binary16 bits → float (exact, subnormals, infinities and NaN payloads kept).
void attnscope_f16_to_f32(const unsigned short *source, float *destination, long count);

#endif
