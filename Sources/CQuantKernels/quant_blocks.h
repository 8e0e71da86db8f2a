// One block of each GGML type decoded to float32, exactly as gguf-py's `gguf/quants.py`
// (`dequantize_blocks` of each class, gguf 0.19) computes it: the same float32 products and sums
// in the same order, never contracted into a fused multiply-add (numpy rounds every operation).
// Block layouts: llama.cpp `ggml/src/ggml-common.h` (block_q4_0 … block_q6_K) and the GGUF spec
// (ggml `docs/gguf.md`); the element order below is what gguf-py's reshapes produce, which is also
// llama.cpp's `dequantize_row_*` order. Every scale is an IEEE binary16, widened exactly.
//
// Each function is `static inline` so dequantize.c and matvec.c can instantiate it for several
// instruction sets (the compiler vectorises the inner loops of every copy).
#ifndef ATTNSCOPE_QUANT_BLOCKS_H
#define ATTNSCOPE_QUANT_BLOCKS_H

#include <stdint.h>
#include <string.h>

#define QB_INLINE static inline __attribute__((always_inline))

// Binary16 → binary32, exact for every input (subnormals, infinities, NaN payloads kept unquieted,
// as numpy's astype(float32) does): the magnitude bits moved into a binary32 and scaled by 2^112
// moves only the exponent; exponent 31 becomes 255.
QB_INLINE float qb_half(const uint8_t *p) {
  uint32_t h = (uint32_t)p[0] | ((uint32_t)p[1] << 8);
  uint32_t magnitudeBits = (h & 0x7fffu) << 13;
  float magnitude;
  memcpy(&magnitude, &magnitudeBits, sizeof magnitude);
  magnitude *= 0x1p112f;
  uint32_t bits;
  memcpy(&bits, &magnitude, sizeof bits);
  bits = (h & 0x7c00u) == 0x7c00u ? (0x7f800000u | magnitudeBits) : bits;
  bits |= (h & 0x8000u) << 16;
  float result;
  memcpy(&result, &bits, sizeof result);
  return result;
}

QB_INLINE uint32_t qb_u32(const uint8_t *p) {
  return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

// Q4_0, 18 bytes: d (f16), qs[16]. Element j < 16 is the low nibble of qs[j], j ≥ 16 the high
// nibble of qs[j-16]; value d · (q − 8).
QB_INLINE void qb_q4_0(const uint8_t *b, float *out) {
  const float d = qb_half(b);
  const uint8_t *qs = b + 2;
  for (int j = 0; j < 16; j++) {
    out[j] = d * (float)((int)(qs[j] & 15) - 8);
    out[j + 16] = d * (float)((int)(qs[j] >> 4) - 8);
  }
}

// Q4_1, 20 bytes: d, m (f16), qs[16]; value (d · q) + m.
QB_INLINE void qb_q4_1(const uint8_t *b, float *out) {
  const float d = qb_half(b), m = qb_half(b + 2);
  const uint8_t *qs = b + 4;
  for (int j = 0; j < 16; j++) {
    out[j] = d * (float)(qs[j] & 15) + m;
    out[j + 16] = d * (float)(qs[j] >> 4) + m;
  }
}

// Q5_0, 22 bytes: d (f16), qh (u32, bit j is element j's fifth bit), qs[16]; value d · (q − 16).
QB_INLINE void qb_q5_0(const uint8_t *b, float *out) {
  const float d = qb_half(b);
  const uint32_t qh = qb_u32(b + 2);
  const uint8_t *qs = b + 6;
  for (int j = 0; j < 16; j++) {
    int lo = (qs[j] & 15) | (int)(((qh >> j) & 1) << 4);
    int hi = (qs[j] >> 4) | (int)(((qh >> (j + 16)) & 1) << 4);
    out[j] = d * (float)(lo - 16);
    out[j + 16] = d * (float)(hi - 16);
  }
}

// Q5_1, 24 bytes: d, m (f16), qh (u32), qs[16]; value (d · q) + m.
QB_INLINE void qb_q5_1(const uint8_t *b, float *out) {
  const float d = qb_half(b), m = qb_half(b + 2);
  const uint32_t qh = qb_u32(b + 4);
  const uint8_t *qs = b + 8;
  for (int j = 0; j < 16; j++) {
    int lo = (qs[j] & 15) | (int)(((qh >> j) & 1) << 4);
    int hi = (qs[j] >> 4) | (int)(((qh >> (j + 16)) & 1) << 4);
    out[j] = d * (float)lo + m;
    out[j + 16] = d * (float)hi + m;
  }
}

// Q8_0, 34 bytes: d (f16), qs[32] (i8); value q · d.
QB_INLINE void qb_q8_0(const uint8_t *b, float *out) {
  const float d = qb_half(b);
  const int8_t *qs = (const int8_t *)(b + 2);
  for (int j = 0; j < 32; j++) out[j] = (float)qs[j] * d;
}

// Q2_K, 84 bytes per 256: scales[16] (low nibble scale, high nibble min, one per 16 values),
// qs[64] (2 bits each), d, dmin (f16). Element e: byte qs[32·(e/128) + e%32], bits 2·((e%128)/32);
// value (d · sc) · q − (dmin · m).
QB_INLINE void qb_q2_k(const uint8_t *b, float *out) {
  const uint8_t *scales = b, *qs = b + 16;
  const float d = qb_half(b + 80), dmin = qb_half(b + 82);
  for (int g = 0; g < 16; g++) {
    const float dl = d * (float)(scales[g] & 15);
    const float ml = dmin * (float)(scales[g] >> 4);
    const int e0 = g * 16;
    const uint8_t *q = qs + 32 * (e0 / 128) + (e0 % 32);
    const int shift = 2 * ((e0 % 128) / 32);
    for (int l = 0; l < 16; l++) out[e0 + l] = dl * (float)((q[l] >> shift) & 3) - ml;
  }
}

// Q3_K's sixteen 6-bit scales (as signed values − 32): low four bits in scales[0..7] (low nibble
// for groups 0–7, high nibble for 8–15), high two bits in scales[8..11] (2 bits per group).
QB_INLINE int qb_q3_k_scale(const uint8_t *scales, int g) {
  int low = g < 8 ? (scales[g] & 15) : (scales[g - 8] >> 4);
  int high = (scales[8 + (g % 4)] >> (2 * (g / 4))) & 3;
  return (int)(int8_t)(low | (high << 4)) - 32;
}

// Q3_K, 110 bytes per 256: hmask[32] (bit e/32 of hmask[e%32] is element e's high bit), qs[64]
// (low 2 bits as in Q2_K), scales[12], d (f16). q = low − 4 where the high bit is 0, low where it
// is 1; value (d · scale) · q.
QB_INLINE void qb_q3_k(const uint8_t *b, float *out) {
  const uint8_t *hmask = b, *qs = b + 32, *scales = b + 96;
  const float d = qb_half(b + 108);
  for (int g = 0; g < 16; g++) {
    const float dl = d * (float)qb_q3_k_scale(scales, g);
    const int e0 = g * 16;
    const uint8_t *q = qs + 32 * (e0 / 128) + (e0 % 32);
    const uint8_t *h = hmask + (e0 % 32);
    const int shift = 2 * ((e0 % 128) / 32), bit = e0 / 32;
    for (int l = 0; l < 16; l++) {
      int low = (q[l] >> shift) & 3;
      int high = (h[l] >> bit) & 1;
      out[e0 + l] = dl * (float)(low - ((high ^ 1) << 2));
    }
  }
}

// Q4_K and Q5_K's eight 6-bit scales and mins in 12 bytes (llama.cpp get_scale_min_k4).
QB_INLINE void qb_k4_scale_min(const uint8_t *s, int j, int *scale, int *min) {
  if (j < 4) {
    *scale = s[j] & 63;
    *min = s[j + 4] & 63;
  } else {
    *scale = (s[j + 4] & 15) | ((s[j - 4] >> 2) & 0x30);
    *min = (s[j + 4] >> 4) | ((s[j] >> 2) & 0x30);
  }
}

// Q4_K, 144 bytes per 256: d, dmin (f16), scales[12], qs[128]. Sub-block j (32 values) is the
// low (j even) or high (j odd) nibbles of qs[32·(j/2) …]; value (d · sc) · q − (dmin · m).
QB_INLINE void qb_q4_k(const uint8_t *b, float *out) {
  const float d = qb_half(b), dmin = qb_half(b + 2);
  const uint8_t *scales = b + 4, *qs = b + 16;
  for (int j = 0; j < 8; j++) {
    int sc, mn;
    qb_k4_scale_min(scales, j, &sc, &mn);
    const float dl = d * (float)sc, ml = dmin * (float)mn;
    const uint8_t *q = qs + 32 * (j / 2);
    const int shift = 4 * (j % 2);
    for (int l = 0; l < 32; l++) out[32 * j + l] = dl * (float)((q[l] >> shift) & 15) - ml;
  }
}

// Q5_K, 176 bytes per 256: d, dmin, scales[12], qh[32] (bit j of qh[l] is the fifth bit of
// sub-block j's element l), qs[128] as in Q4_K.
QB_INLINE void qb_q5_k(const uint8_t *b, float *out) {
  const float d = qb_half(b), dmin = qb_half(b + 2);
  const uint8_t *scales = b + 4, *qh = b + 16, *qs = b + 48;
  for (int j = 0; j < 8; j++) {
    int sc, mn;
    qb_k4_scale_min(scales, j, &sc, &mn);
    const float dl = d * (float)sc, ml = dmin * (float)mn;
    const uint8_t *q = qs + 32 * (j / 2);
    const int shift = 4 * (j % 2);
    for (int l = 0; l < 32; l++) {
      int v = ((q[l] >> shift) & 15) | (((qh[l] >> j) & 1) << 4);
      out[32 * j + l] = dl * (float)v - ml;
    }
  }
}

// Q6_K, 210 bytes per 256: ql[128] (low 4 bits), qh[64] (high 2 bits), scales[16] (i8, one per
// 16 values), d (f16). Element e = 128·h + r: low bits from ql[64·h + r%64] (nibble r/64), high
// bits from qh[32·h + r%32] (bits 2·(r/32)); value (d · scale) · (q − 32).
QB_INLINE void qb_q6_k(const uint8_t *b, float *out) {
  const uint8_t *ql = b, *qh = b + 128;
  const int8_t *scales = (const int8_t *)(b + 192);
  const float d = qb_half(b + 208);
  for (int g = 0; g < 16; g++) {
    const float dl = d * (float)scales[g];
    const int e0 = g * 16, h = e0 / 128, r0 = e0 % 128;
    const uint8_t *lo = ql + 64 * h + (r0 % 64), *hi = qh + 32 * h + (r0 % 32);
    const int loShift = 4 * (r0 / 64), hiShift = 2 * (r0 / 32);
    for (int l = 0; l < 16; l++) {
      int v = ((lo[l] >> loShift) & 15) | (((hi[l] >> hiShift) & 3) << 4);
      out[e0 + l] = dl * (float)(v - 32);
    }
  }
}

#endif
