// Vectorisable elementwise kernels. exp is Cephes' expf (Moshier): x = n·ln2 + r with ln 2 split
// in two constants, e^r by a degree-5 minimax polynomial, 2^n written into the exponent bits. The
// rounding to n uses a float→int conversion rather than floorf, so baseline SSE2 vectorises it.
// The scalar libm forms (Swift's `Activation.apply`, `expf`) are the references these are tested
// against (Tests/TensorsTests/VectorMathTests.swift).
#include "attnscope_kernels.h"

#include <stdint.h>
#include <string.h>

static inline float exp_approx(float x) {
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

void attnscope_exp(float *values, long count) {
  for (long i = 0; i < count; i++) values[i] = exp_approx(values[i]);
}

void attnscope_softmax(float *row, long count) {
  if (count <= 0) return;
  float maximum = row[0];
  for (long i = 1; i < count; i++) maximum = row[i] > maximum ? row[i] : maximum;
  for (long i = 0; i < count; i++) row[i] = exp_approx(row[i] - maximum);
  // Eight partial sums: a vectorisable reduction without fast-math.
  float partial[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  long i = 0;
  for (; i + 8 <= count; i += 8)
    for (int lane = 0; lane < 8; lane++) partial[lane] += row[i + lane];
  float sum = ((partial[0] + partial[1]) + (partial[2] + partial[3]))
    + ((partial[4] + partial[5]) + (partial[6] + partial[7]));
  for (; i < count; i++) sum += row[i];
  float inverse = 1.0f / sum;
  for (long j = 0; j < count; j++) row[j] *= inverse;
}

static inline float erf_approx(float x) {
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

void attnscope_gelu_erf(float *values, long count) {
  for (long i = 0; i < count; i++) {
    float x = values[i];
    values[i] = 0.5f * x * (1.0f + erf_approx(x * 0.70710678118654752f));
  }
}

void attnscope_gelu_tanh(float *values, long count) {
  for (long i = 0; i < count; i++) {
    float x = values[i];
    float u = 0.79788456080286536f * (x + 0.044715f * x * x * x);
    // tanh(u) = 1 − 2 / (e^{2u} + 1): exact enough at both ends.
    values[i] = 0.5f * x * (2.0f - 2.0f / (exp_approx(2.0f * u) + 1.0f));
  }
}

void attnscope_silu(float *values, long count) {
  for (long i = 0; i < count; i++) {
    float x = values[i];
    values[i] = x / (1.0f + exp_approx(-x));
  }
}

void attnscope_relu(float *values, long count) {
  for (long i = 0; i < count; i++) values[i] = values[i] > 0 ? values[i] : 0;
}

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
