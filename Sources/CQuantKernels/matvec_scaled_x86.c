// AVX-512 fused products for the 32-value block types (Q4_0, Q4_1, Q5_0, Q5_1, Q8_0) that apply
// each block's scale once instead of to every value. A block's values are d·q + m, so its share of
// a dot product with x is d·(Σ q·x) + m·(Σ x): the integers q are widened to float32 and dotted
// with x (two vector operations per 32 values), the sum is scaled by d once (one FMA with d
// broadcast from memory), and the offsets m of sixteen blocks at a time meet the per-block sums of
// x — which depend only on x, so matvec.c computes them once per call for all rows — in one FMA.
// Q4_0 and Q5_0 (d·(q − 8), d·(q − 16)) are the same with m = d and x's block sums times −8 or −16.
// The binary16 scales of sixteen blocks are copied side by side and widened by one vcvtph2ps.
//
// This is the same arithmetic on the same exact dequantised values as decode-then-multiply,
// reassociated (float32 sums in their own order, with FMA); FusedProductTests bounds the
// difference. x is never rounded to 8 bits (llama.cpp's ggml-cpu does that; it would break parity).
// Block layouts: quant_blocks.h (llama.cpp ggml-common.h).
#include "attnscope_quant.h"
#include "quant_blocks.h"
#include "matvec_x86.h"

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>

#define SCALED_ATTR __attribute__((target("avx512f,avx512bw,avx512vl,avx2,fma,f16c")))

enum { GROUP = 16 };  // blocks whose scales are widened together

// Per type: how a block becomes two 16-lane float vectors of q (elements 0–15 and 16–31), and
// SCALE_PAIRS: the first u32 of each of 16 blocks (gathered) as the binary16 pair (d, m), low half
// d; types without an m repeat d (their offset lives in x's block sums) or give 0.
#define Q4_0_SCALE_PAIRS(v) _mm512_or_si512(_mm512_and_si512(v, _mm512_set1_epi32(0xffff)), _mm512_slli_epi32(v, 16))
#define Q4_1_SCALE_PAIRS(v) (v)
#define Q5_0_SCALE_PAIRS(v) Q4_0_SCALE_PAIRS(v)
#define Q5_1_SCALE_PAIRS(v) (v)
#define Q8_0_SCALE_PAIRS(v) _mm512_and_si512(v, _mm512_set1_epi32(0xffff))

#define NIBBLES(p, lo, hi)                                                          \
  const __m512i v_ = _mm512_cvtepu8_epi32(_mm_loadu_si128((const __m128i *)(p)));   \
  __m512i lo = _mm512_and_si512(v_, _mm512_set1_epi32(15));                         \
  __m512i hi = _mm512_srli_epi32(v_, 4)
#define Q4_0_QUANTS(b, lo, hi) \
  NIBBLES(b + 2, lo##i_, hi##i_); \
  const __m512 lo = _mm512_cvtepi32_ps(lo##i_), hi = _mm512_cvtepi32_ps(hi##i_)
#define Q4_1_QUANTS(b, lo, hi) \
  NIBBLES(b + 4, lo##i_, hi##i_); \
  const __m512 lo = _mm512_cvtepi32_ps(lo##i_), hi = _mm512_cvtepi32_ps(hi##i_)
// The fifth bits: bit e of qh is element e's, so qh's halves are lane masks.
#define FIFTH_BITS(qh, lo, hi)                                                              \
  lo = _mm512_mask_or_epi32(lo, (__mmask16)(qh), lo, _mm512_set1_epi32(16));                \
  hi = _mm512_mask_or_epi32(hi, (__mmask16)((qh) >> 16), hi, _mm512_set1_epi32(16))
#define Q5_0_QUANTS(b, lo, hi)         \
  NIBBLES(b + 6, lo##i_, hi##i_);      \
  FIFTH_BITS(qb_u32(b + 2), lo##i_, hi##i_); \
  const __m512 lo = _mm512_cvtepi32_ps(lo##i_), hi = _mm512_cvtepi32_ps(hi##i_)
#define Q5_1_QUANTS(b, lo, hi)         \
  NIBBLES(b + 8, lo##i_, hi##i_);      \
  FIFTH_BITS(qb_u32(b + 4), lo##i_, hi##i_); \
  const __m512 lo = _mm512_cvtepi32_ps(lo##i_), hi = _mm512_cvtepi32_ps(hi##i_)
#define Q8_0_QUANTS(b, lo, hi)                                                                        \
  const __m512 lo = _mm512_cvtepi32_ps(_mm512_cvtepi8_epi32(_mm_loadu_si128((const __m128i *)(b + 2)))); \
  const __m512 hi = _mm512_cvtepi32_ps(_mm512_cvtepi8_epi32(_mm_loadu_si128((const __m128i *)(b + 18))))

// Block k of the group into accumulator A of every input row.
#define SCALED_BLOCK(TYPE, BYTES, NR, k, A)                                                \
  {                                                                                        \
    const uint8_t *b = row + (g + (k)) * (BYTES);                                          \
    TYPE##_QUANTS(b, lo, hi);                                                              \
    const __m512 d = _mm512_set1_ps(scales[2 * (k)]);                                      \
    const float *xb = x + (g + (k)) * 32;                                                  \
    for (int i = 0; i < (NR); i++) {                                                       \
      __m512 t = _mm512_mul_ps(lo, _mm512_loadu_ps(xb + i * xs));                          \
      t = _mm512_fmadd_ps(hi, _mm512_loadu_ps(xb + i * xs + 16), t);                       \
      A[i] = _mm512_fmadd_ps(t, d, A[i]);                                                  \
    }                                                                                      \
  }

// One weight row times NR input rows. sums + i·ss holds x row i's offset coefficients, two floats
// per block (0, c·Σ x over the block) so that they pair with the widened (d, m) scales. Even and
// odd blocks sum into separate accumulators (two FMA chains in flight).
#define SCALED_KERNEL(name, TYPE, BYTES, NR, OFFSETS)                                                  \
  SCALED_ATTR static void name(const uint8_t *row, long blocks, const float *x, long xs,              \
                               const float *sums, long ss, float *out) {                              \
    __m512 even[NR], odd[NR], offsets[NR];                                                            \
    for (int i = 0; i < (NR); i++) even[i] = odd[i] = offsets[i] = _mm512_setzero_ps();               \
    const __m512i stride = _mm512_mullo_epi32(                                                        \
        _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15), _mm512_set1_epi32(BYTES)); \
    for (long g = 0; g < blocks; g += GROUP) {                                                        \
      const long count = blocks - g < GROUP ? blocks - g : GROUP;                                     \
      const __mmask16 present = (__mmask16)((1u << count) - 1);                                       \
      __m512i pairs = _mm512_mask_i32gather_epi32(_mm512_setzero_si512(), present, stride,            \
                                                  row + g * (BYTES), 1);                              \
      pairs = TYPE##_SCALE_PAIRS(pairs);                                                              \
      float scales[2 * GROUP] __attribute__((aligned(64)));                                           \
      const __m512 s0 = _mm512_cvtph_ps(_mm512_castsi512_si256(pairs));                               \
      const __m512 s1 = _mm512_cvtph_ps(_mm512_extracti64x4_epi64(pairs, 1));                         \
      _mm512_store_ps(scales, s0);                                                                    \
      _mm512_store_ps(scales + 16, s1);                                                               \
      if (OFFSETS)                                                                                    \
        for (int i = 0; i < (NR); i++) {                                                              \
          const float *c = sums + i * ss + 2 * g;                                                     \
          offsets[i] = _mm512_fmadd_ps(s0, _mm512_loadu_ps(c), offsets[i]);                           \
          offsets[i] = _mm512_fmadd_ps(s1, _mm512_loadu_ps(c + 16), offsets[i]);                      \
        }                                                                                             \
      long k = 0;                                                                                     \
      for (; k + 1 < count; k += 2) {                                                                 \
        SCALED_BLOCK(TYPE, BYTES, NR, k, even)                                                        \
        SCALED_BLOCK(TYPE, BYTES, NR, k + 1, odd)                                                     \
      }                                                                                               \
      if (k < count) SCALED_BLOCK(TYPE, BYTES, NR, k, even)                                           \
    }                                                                                                 \
    for (int i = 0; i < (NR); i++)                                                                    \
      out[i] = _mm512_reduce_add_ps(_mm512_add_ps(_mm512_add_ps(even[i], odd[i]), offsets[i]));       \
  }

#define SCALED_KERNELS(TYPE, BYTES, OFFSETS)                      \
  SCALED_KERNEL(scaled_##TYPE##_1, TYPE, BYTES, 1, OFFSETS)       \
  SCALED_KERNEL(scaled_##TYPE##_2, TYPE, BYTES, 2, OFFSETS)       \
  SCALED_KERNEL(scaled_##TYPE##_4, TYPE, BYTES, 4, OFFSETS)       \
  static const scaled_kernel TYPE##_scaled[3] = {scaled_##TYPE##_1, scaled_##TYPE##_2, scaled_##TYPE##_4};

SCALED_KERNELS(Q4_0, 18, 1)
SCALED_KERNELS(Q4_1, 20, 1)
SCALED_KERNELS(Q5_0, 22, 1)
SCALED_KERNELS(Q5_1, 24, 1)
SCALED_KERNELS(Q8_0, 34, 0)

const scaled_kernel *attnscope_quant_scaled_kernels(int type, int level, float *offsetFactor) {
  if (level < ATTNSCOPE_QUANT_AVX512) return 0;
  switch (type) {
  case 2: *offsetFactor = -8; return Q4_0_scaled;
  case 3: *offsetFactor = 1; return Q4_1_scaled;
  case 6: *offsetFactor = -16; return Q5_0_scaled;
  case 7: *offsetFactor = 1; return Q5_1_scaled;
  case 8: *offsetFactor = 0; return Q8_0_scaled;
  default: return 0;
  }
}

#else
const scaled_kernel *attnscope_quant_scaled_kernels(int type, int level, float *offsetFactor) { return 0; }
#endif
