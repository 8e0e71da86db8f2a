// Vectorisable elementwise kernels. exp is Cephes' expf (Moshier): x = n·ln2 + r with ln 2 split
// in two constants, e^r by a degree-5 minimax polynomial, 2^n written into the exponent bits. The
// rounding to n uses a float→int conversion rather than floorf, so the loops vectorise.
// Every kernel is a plain C loop body compiled three times — baseline x86-64 (SSE2), AVX2+FMA and
// AVX-512 (function-level target attributes, so the target builds without -mavx512f) — and chosen
// at run time with __builtin_cpu_supports; the `_at` forms take the level, so tests run each one.
// The FMA levels contract a·b + c, so results differ from the baseline in the last bits only.
// The scalar libm forms (Swift's `Activation.apply`, `expf`) are the references these are tested
// against (Tests/TensorsTests/VectorMathTests.swift).
#include "attnscope_kernels.h"

#include <stdint.h>
#include <string.h>

#if defined(__x86_64__)
#define KERNELS_X86 1
#define BODY static inline __attribute__((always_inline))
#define AT_AVX2 __attribute__((target("avx2,fma")))
#define AT_AVX512 __attribute__((target("avx512f,avx512vl,avx512bw,avx2,fma")))
#else
#define BODY static inline
#endif

int attnscope_kernels_best_level(void) {
#if KERNELS_X86
  if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl") &&
      __builtin_cpu_supports("avx512bw"))
    return 2;
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return 1;
#endif
  return 0;
}

BODY float exp_approx(float x) {
  x = x < -87.3f ? -87.3f : (x > 88.7f ? 88.7f : x);
  float t = x * 1.44269504088896341f;
  int32_t n = (int32_t)(t + (t >= 0.0f ? 0.5f : -0.5f));  // round to nearest
  float fn = (float)n;
  float r = x - fn * 0.693359375f;
  r = r - fn * -2.12194440e-4f;
  float z = r * r;
  float y = 1.9875691500e-4f;
  y = y * r + 1.3981999507e-3f;
  y = y * r + 8.3334519073e-3f;
  y = y * r + 4.1665795894e-2f;
  y = y * r + 1.6666665459e-1f;
  y = y * r + 5.0000001201e-1f;
  y = y * z + r + 1.0f;
  int32_t bits = (n + 127) << 23;
  float scale;
  memcpy(&scale, &bits, sizeof scale);
  return y * scale;
}

BODY void exp_body(float *values, long count) {
  for (long i = 0; i < count; i++) values[i] = exp_approx(values[i]);
}

// Sixteen partial results (one AVX-512 vector): reductions the compiler vectorises without
// fast-math, summed pairwise at the end.
BODY float sum_of(const float *x, long count) {
  float partial[16] = {0};
  long i = 0;
  for (; i + 16 <= count; i += 16)
    for (int lane = 0; lane < 16; lane++) partial[lane] += x[i + lane];
  for (int width = 8; width >= 1; width /= 2)
    for (int lane = 0; lane < width; lane++) partial[lane] += partial[lane + width];
  float sum = partial[0];
  for (; i < count; i++) sum += x[i];
  return sum;
}

BODY float max_of(const float *x, long count) {
  float partial[16];
  for (int lane = 0; lane < 16; lane++) partial[lane] = x[0];
  long i = 0;
  for (; i + 16 <= count; i += 16)
    for (int lane = 0; lane < 16; lane++) partial[lane] = x[i + lane] > partial[lane] ? x[i + lane] : partial[lane];
  float maximum = partial[0];
  for (int lane = 1; lane < 16; lane++) maximum = partial[lane] > maximum ? partial[lane] : maximum;
  for (; i < count; i++) maximum = x[i] > maximum ? x[i] : maximum;
  return maximum;
}

BODY void softmax_body(float *row, long count) {
  if (count <= 0) return;
  float maximum = max_of(row, count);
  for (long i = 0; i < count; i++) row[i] = exp_approx(row[i] - maximum);
  float inverse = 1.0f / sum_of(row, count);
  for (long j = 0; j < count; j++) row[j] *= inverse;
}

BODY float erf_approx(float x) {
  float a = x < 0 ? -x : x;
  float t = 1.0f / (1.0f + 0.3275911f * a);
  float p = 1.061405429f;
  p = p * t - 1.453152027f;
  p = p * t + 1.421413741f;
  p = p * t - 0.284496736f;
  p = p * t + 0.254829592f;
  float magnitude = 1.0f - p * t * exp_approx(-(a * a));
  return x < 0 ? -magnitude : magnitude;
}

BODY void gelu_erf_body(float *values, long count) {
  for (long i = 0; i < count; i++) {
    float x = values[i];
    values[i] = 0.5f * x * (1.0f + erf_approx(x * 0.70710678118654752f));
  }
}

BODY void gelu_tanh_body(float *values, long count) {
  for (long i = 0; i < count; i++) {
    float x = values[i];
    float u = 0.79788456080286536f * (x + 0.044715f * x * x * x);
    // tanh(u) = 1 − 2 / (e^{2u} + 1): exact enough at both ends.
    values[i] = 0.5f * x * (2.0f - 2.0f / (exp_approx(2.0f * u) + 1.0f));
  }
}

BODY void silu_body(float *values, long count) {
  for (long i = 0; i < count; i++) {
    float x = values[i];
    values[i] = x / (1.0f + exp_approx(-x));
  }
}

BODY void relu_body(float *values, long count) {
  for (long i = 0; i < count; i++) values[i] = values[i] > 0 ? values[i] : 0;
}

// LayerNorm of one row: mean, biased variance, then (x − mean) / √(var + ε) · w + b.
BODY void layer_norm_body(float *row, long width, const float *weight, const float *bias, float epsilon) {
  float mean = sum_of(row, width) / (float)width;
  float partial[16] = {0};
  long i = 0;
  for (; i + 16 <= width; i += 16)
    for (int lane = 0; lane < 16; lane++) {
      float d = row[i + lane] - mean;
      partial[lane] += d * d;
    }
  for (int step = 8; step >= 1; step /= 2)
    for (int lane = 0; lane < step; lane++) partial[lane] += partial[lane + step];
  float variance = partial[0];
  for (; i < width; i++) variance += (row[i] - mean) * (row[i] - mean);
  variance /= (float)width;
  float inverse = 1.0f / __builtin_sqrtf(variance + epsilon);
  for (long c = 0; c < width; c++) row[c] = (row[c] - mean) * inverse * weight[c] + bias[c];
}

// RMSNorm of one row: x / √(mean(x²) + ε) · scale.
BODY void rms_norm_body(float *row, long width, const float *scale, float epsilon) {
  float partial[16] = {0};
  long i = 0;
  for (; i + 16 <= width; i += 16)
    for (int lane = 0; lane < 16; lane++) partial[lane] += row[i + lane] * row[i + lane];
  for (int step = 8; step >= 1; step /= 2)
    for (int lane = 0; lane < step; lane++) partial[lane] += partial[lane + step];
  float squares = partial[0];
  for (; i < width; i++) squares += row[i] * row[i];
  float inverse = 1.0f / __builtin_sqrtf(squares / (float)width + epsilon);
  for (long c = 0; c < width; c++) row[c] = row[c] * inverse * scale[c];
}

BODY void layer_norm_rows_body(
  float *x, long rows, long width, const float *weight, const float *bias, float epsilon) {
  for (long r = 0; r < rows; r++) layer_norm_body(x + r * width, width, weight, bias, epsilon);
}

BODY void rms_norm_rows_body(float *x, long rows, long width, const float *scale, float epsilon) {
  for (long r = 0; r < rows; r++) rms_norm_body(x + r * width, width, scale, epsilon);
}

// Each kernel at three levels and the public entry points: `name_at(level, …)` and `name(…)` at
// the best level (looked up once).
static int best_level_cached = -1;
static int level_now(void) {
  // Every thread computes the same value, so a relaxed atomic store is all the caching needs.
  int level = __atomic_load_n(&best_level_cached, __ATOMIC_RELAXED);
  if (level < 0) {
    level = attnscope_kernels_best_level();
    __atomic_store_n(&best_level_cached, level, __ATOMIC_RELAXED);
  }
  return level;
}

#if KERNELS_X86
#define LEVELS(name, params, args)                                                       \
  static void name##_portable params { name##_body args; }                               \
  AT_AVX2 static void name##_avx2 params { name##_body args; }                           \
  AT_AVX512 static void name##_avx512 params { name##_body args; }                       \
  void attnscope_##name##_at(int level, LEVELS_UNPAREN params) {                         \
    int best = level_now();                                                              \
    level = level < best ? level : best;                                                 \
    if (level >= 2) name##_avx512 args;                                                  \
    else if (level == 1) name##_avx2 args;                                               \
    else name##_portable args;                                                           \
  }                                                                                      \
  void attnscope_##name params { attnscope_##name##_at(2, LEVELS_ARGS_UNPAREN args); }
#else
#define LEVELS(name, params, args)                                                       \
  void attnscope_##name##_at(int level, LEVELS_UNPAREN params) { (void)level; name##_body args; } \
  void attnscope_##name params { name##_body args; }
#endif
#define LEVELS_UNPAREN(...) __VA_ARGS__
#define LEVELS_ARGS_UNPAREN(...) __VA_ARGS__

LEVELS(exp, (float *values, long count), (values, count))
LEVELS(softmax, (float *row, long count), (row, count))
LEVELS(gelu_erf, (float *values, long count), (values, count))
LEVELS(gelu_tanh, (float *values, long count), (values, count))
LEVELS(silu, (float *values, long count), (values, count))
LEVELS(relu, (float *values, long count), (values, count))
LEVELS(layer_norm_rows,
  (float *x, long rows, long width, const float *weight, const float *bias, float epsilon),
  (x, rows, width, weight, bias, epsilon))
LEVELS(rms_norm_rows, (float *x, long rows, long width, const float *scale, float epsilon),
  (x, rows, width, scale, epsilon))

// 16-bit floats widened to binary32. Both loops are branch-free so the compiler vectorises them.
void attnscope_bf16_to_f32(const unsigned short *source, float *destination, long count) {
  const uint16_t *s = (const uint16_t *)source;
  for (long i = 0; i < count; i++) {
    uint32_t bits = (uint32_t)s[i] << 16;
    memcpy(&destination[i], &bits, sizeof bits);
  }
}

// Half → single by rebiasing: the exponent and mantissa shifted into place as a binary32 and
// multiplied by 2^112 is exact for normals and subnormals alike (the product only moves the
// exponent); exponent 31 (infinity, NaN) is set to 255 instead. Sign copied last.
void attnscope_f16_to_f32(const unsigned short *source, float *destination, long count) {
  const uint16_t *s = (const uint16_t *)source;
  const float rebias = 0x1p112f;
  for (long i = 0; i < count; i++) {
    uint32_t h = s[i];
    uint32_t magnitudeBits = (h & 0x7fffu) << 13;
    float magnitude;
    memcpy(&magnitude, &magnitudeBits, sizeof magnitude);
    magnitude *= rebias;
    uint32_t bits;
    memcpy(&bits, &magnitude, sizeof bits);
    uint32_t special = 0x7f800000u | magnitudeBits;  // infinity or NaN with its payload
    bits = (h & 0x7c00u) == 0x7c00u ? special : bits;
    bits |= (h & 0x8000u) << 16;
    memcpy(&destination[i], &bits, sizeof bits);
  }
}
