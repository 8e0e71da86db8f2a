// Hand-vectorised fused products for every quantised type (AVX2; AVX-512 for the 256-value
// K-quants — matvec_scaled_x86.c has the 32-value types' AVX-512 kernels): each block is widened
// to float32 in registers — 32 values as four 8-lane or two 16-lane vectors — and multiplied into up to four input rows at once, so a
// weight byte is loaded once per group of rows and nothing is stored but the sums. Block layouts
// as in quant_blocks.h (llama.cpp ggml-common.h). Not bit-equal to decode-then-multiply (the
// lanes sum in their own order, with FMA); FusedProductTests bounds the difference.
//
// The same block widening, without FMA and with the exact binary16 conversion, also decodes rows
// for dequantize.c (bit for bit as the portable code: every lane does the reference's operations).
#pragma clang fp contract(off)

#include "attnscope_quant.h"
#include "quant_blocks.h"
#include "matvec_x86.h"

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>

#define AVX2_ATTR __attribute__((target("avx2,fma,f16c")))
#define AVX512_ATTR __attribute__((target("avx512f,avx512bw,avx512vl,avx2,fma,f16c")))

AVX2_ATTR static inline float hsum8(__m256 v) {
  __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
  s = _mm_add_ps(s, _mm_movehl_ps(s, s));
  s = _mm_add_ss(s, _mm_movehdup_ps(s));
  return _mm_cvtss_f32(s);
}
AVX512_ATTR static inline float hsum16(__m512 v) { return _mm512_reduce_add_ps(v); }

// A binary16 scale by F16C (one instruction; products need not keep NaN payloads as decoding must).
#define H2F(p) _cvtsh_ss((unsigned short)((p)[0] | ((p)[1] << 8)))

// Eight bytes (the low half of v) as eight float lanes; sixteen bytes as sixteen.
#define U8x8(v) _mm256_cvtepi32_ps(_mm256_cvtepu8_epi32(v))
#define U8x8_HIGH(v) _mm256_cvtepi32_ps(_mm256_cvtepu8_epi32(_mm_srli_si128(v, 8)))
#define U8x16(v) _mm512_cvtepi32_ps(_mm512_cvtepu8_epi32(v))
#define LOW_NIBBLES(v) _mm_and_si128(v, _mm_set1_epi8(15))
#define HIGH_NIBBLES(v) _mm_and_si128(_mm_srli_epi16(v, 4), _mm_set1_epi8(15))

// One weight row times NR input rows (x, x + xs, …): `blocks` blocks of BS values; TYPE_PREP runs
// once per block (pointer `b`), TYPE_ISA fills w[0..<WN] with the 32 values of chunk `c`. (The
// snippets are pasted by name: as macro arguments their commas would split them.)
#define ROW_KERNEL(name, ATTR, VEC, WN, WIDTH, ZERO, LOADX, FMA, ADD, HSUM, BS, BYTES, NR, TYPE, ISA) \
  ATTR static void name(const uint8_t *row, long blocks, const float *x, long xs, float *out) {         \
    enum { CH = (NR) == 1 ? (WN) : 2 };                                                                 \
    VEC acc[NR][CH];                                                                                    \
    for (int i = 0; i < (NR); i++)                                                                      \
      for (int k = 0; k < CH; k++) acc[i][k] = ZERO();                                                  \
    for (long blk = 0; blk < blocks; blk++) {                                                           \
      const uint8_t *b = row + blk * (BYTES);                                                           \
      TYPE##_PREP;                                                                                      \
      for (int c = 0; c < (BS) / 32; c++) {                                                             \
        VEC w[WN];                                                                                      \
        TYPE##_##ISA;                                                                                   \
        const float *xc = x + blk * (BS) + c * 32;                                                      \
        for (int i = 0; i < (NR); i++)                                                                  \
          for (int k = 0; k < (WN); k++)                                                                \
            acc[i][k % CH] = FMA(w[k], LOADX(xc + i * xs + k * (WIDTH)), acc[i][k % CH]);               \
      }                                                                                                 \
    }                                                                                                   \
    for (int i = 0; i < (NR); i++) {                                                                    \
      VEC s = acc[i][0];                                                                                \
      for (int k = 1; k < CH; k++) s = ADD(s, acc[i][k]);                                               \
      out[i] = HSUM(s);                                                                                 \
    }                                                                                                   \
  }

#define AVX2_KERNEL(name, BS, BYTES, NR, TYPE)                                                      \
  ROW_KERNEL(name, AVX2_ATTR, __m256, 4, 8, _mm256_setzero_ps, _mm256_loadu_ps, _mm256_fmadd_ps, \
             _mm256_add_ps, hsum8, BS, BYTES, NR, TYPE, AVX2)
#define AVX512_KERNEL(name, BS, BYTES, NR, TYPE)                                                    \
  ROW_KERNEL(name, AVX512_ATTR, __m512, 2, 16, _mm512_setzero_ps, _mm512_loadu_ps, _mm512_fmadd_ps, \
             _mm512_add_ps, hsum16, BS, BYTES, NR, TYPE, AVX512)

// ---- Q4_0: d · (q − 8).
#define Q4_0_PREP                                                      \
  const float d_ = H2F(b);                                         \
  const __m128i q_ = _mm_loadu_si128((const __m128i *)(b + 2));        \
  const __m128i lo_ = LOW_NIBBLES(q_), hi_ = HIGH_NIBBLES(q_)
#define Q4_0_AVX2                                                                   \
  const __m256 dv = _mm256_set1_ps(d_), off = _mm256_set1_ps(-8 * d_);              \
  w[0] = _mm256_fmadd_ps(U8x8(lo_), dv, off);                                       \
  w[1] = _mm256_fmadd_ps(U8x8_HIGH(lo_), dv, off);                                  \
  w[2] = _mm256_fmadd_ps(U8x8(hi_), dv, off);                                       \
  w[3] = _mm256_fmadd_ps(U8x8_HIGH(hi_), dv, off)
#define Q4_0_AVX512                                                                 \
  const __m512 dv = _mm512_set1_ps(d_), off = _mm512_set1_ps(-8 * d_);              \
  w[0] = _mm512_fmadd_ps(U8x16(lo_), dv, off);                                      \
  w[1] = _mm512_fmadd_ps(U8x16(hi_), dv, off)

// ---- Q4_1: d · q + m.
#define Q4_1_PREP                                                      \
  const float d_ = H2F(b), m_ = H2F(b + 2);                    \
  const __m128i q_ = _mm_loadu_si128((const __m128i *)(b + 4));        \
  const __m128i lo_ = LOW_NIBBLES(q_), hi_ = HIGH_NIBBLES(q_)
#define Q4_1_AVX2                                                                   \
  const __m256 dv = _mm256_set1_ps(d_), off = _mm256_set1_ps(m_);                   \
  w[0] = _mm256_fmadd_ps(U8x8(lo_), dv, off);                                       \
  w[1] = _mm256_fmadd_ps(U8x8_HIGH(lo_), dv, off);                                  \
  w[2] = _mm256_fmadd_ps(U8x8(hi_), dv, off);                                       \
  w[3] = _mm256_fmadd_ps(U8x8_HIGH(hi_), dv, off)
#define Q4_1_AVX512                                                                 \
  const __m512 dv = _mm512_set1_ps(d_), off = _mm512_set1_ps(m_);                   \
  w[0] = _mm512_fmadd_ps(U8x16(lo_), dv, off);                                      \
  w[1] = _mm512_fmadd_ps(U8x16(hi_), dv, off)

// ---- Q5_0: d · (q − 16), the fifth bit of element e is bit e of qh.
#define Q5_0_PREP                                                      \
  const float d_ = H2F(b);                                         \
  const uint32_t qh_ = qb_u32(b + 2);                                  \
  const __m128i q_ = _mm_loadu_si128((const __m128i *)(b + 6));        \
  const __m128i lo_ = LOW_NIBBLES(q_), hi_ = HIGH_NIBBLES(q_)
#define Q5_0_BITS8(first)                                                                       \
  _mm256_slli_epi32(_mm256_and_si256(_mm256_srlv_epi32(_mm256_set1_epi32((int)qh_),             \
                    _mm256_add_epi32(_mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7), _mm256_set1_epi32(first))), \
                    _mm256_set1_epi32(1)), 4)
#define Q5_0_LANE8(bytes, first) \
  _mm256_cvtepi32_ps(_mm256_or_si256(_mm256_cvtepu8_epi32(bytes), Q5_0_BITS8(first)))
#define Q5_0_AVX2                                                                   \
  const __m256 dv = _mm256_set1_ps(d_), off = _mm256_set1_ps(-16 * d_);             \
  w[0] = _mm256_fmadd_ps(Q5_0_LANE8(lo_, 0), dv, off);                              \
  w[1] = _mm256_fmadd_ps(Q5_0_LANE8(_mm_srli_si128(lo_, 8), 8), dv, off);           \
  w[2] = _mm256_fmadd_ps(Q5_0_LANE8(hi_, 16), dv, off);                             \
  w[3] = _mm256_fmadd_ps(Q5_0_LANE8(_mm_srli_si128(hi_, 8), 24), dv, off)
#define Q5_0_BITS16(first)                                                                      \
  _mm512_slli_epi32(_mm512_and_si512(_mm512_srlv_epi32(_mm512_set1_epi32((int)qh_),             \
                    _mm512_add_epi32(_mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15), \
                                     _mm512_set1_epi32(first))), _mm512_set1_epi32(1)), 4)
#define Q5_0_AVX512                                                                 \
  const __m512 dv = _mm512_set1_ps(d_), off = _mm512_set1_ps(-16 * d_);             \
  w[0] = _mm512_fmadd_ps(_mm512_cvtepi32_ps(_mm512_or_si512(_mm512_cvtepu8_epi32(lo_), Q5_0_BITS16(0))), dv, off); \
  w[1] = _mm512_fmadd_ps(_mm512_cvtepi32_ps(_mm512_or_si512(_mm512_cvtepu8_epi32(hi_), Q5_0_BITS16(16))), dv, off)

// ---- Q8_0: q · d.
#define Q8_0_PREP const float d_ = H2F(b); const uint8_t *qs_ = b + 2
#define I8x8(p) _mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(_mm_loadl_epi64((const __m128i *)(p))))
#define Q8_0_AVX2                                                                   \
  const __m256 dv = _mm256_set1_ps(d_);                                             \
  w[0] = _mm256_mul_ps(I8x8(qs_), dv);                                              \
  w[1] = _mm256_mul_ps(I8x8(qs_ + 8), dv);                                          \
  w[2] = _mm256_mul_ps(I8x8(qs_ + 16), dv);                                         \
  w[3] = _mm256_mul_ps(I8x8(qs_ + 24), dv)
#define I8x16(p) _mm512_cvtepi32_ps(_mm512_cvtepi8_epi32(_mm_loadu_si128((const __m128i *)(p))))
#define Q8_0_AVX512                                                                 \
  const __m512 dv = _mm512_set1_ps(d_);                                             \
  w[0] = _mm512_mul_ps(I8x16(qs_), dv);                                             \
  w[1] = _mm512_mul_ps(I8x16(qs_ + 16), dv)

// ---- Q4_K: sub-block c is (d · sc_c) · q − (dmin · m_c), q the low (c even) or high nibbles of
// qs[32·(c/2) …].
#define Q4_K_PREP                                                      \
  const float d_ = H2F(b), dmin_ = H2F(b + 2);                 \
  float dl_[8], ml_[8];                                                \
  for (int j = 0; j < 8; j++) {                                        \
    int sc, mn;                                                        \
    qb_k4_scale_min(b + 4, j, &sc, &mn);                               \
    dl_[j] = d_ * (float)sc;                                           \
    ml_[j] = dmin_ * (float)mn;                                        \
  }
#define Q4_K_BYTES                                                                    \
  const uint8_t *q_ = b + 16 + 32 * (c / 2);                                          \
  __m128i b0_ = _mm_loadu_si128((const __m128i *)q_), b1_ = _mm_loadu_si128((const __m128i *)(q_ + 16)); \
  if (c & 1) { b0_ = HIGH_NIBBLES(b0_); b1_ = HIGH_NIBBLES(b1_); }                    \
  else { b0_ = LOW_NIBBLES(b0_); b1_ = LOW_NIBBLES(b1_); }
// Sub-block c's 32 quants in b0_, b1_ (bytes) as (d · sc_c) · q − (dmin · m_c) (Q4_K and Q5_K).
#define K_SUBBLOCK_AVX2                                                             \
  const __m256 dv = _mm256_set1_ps(dl_[c]), mv = _mm256_set1_ps(ml_[c]);            \
  w[0] = _mm256_fmsub_ps(U8x8(b0_), dv, mv);                                        \
  w[1] = _mm256_fmsub_ps(U8x8_HIGH(b0_), dv, mv);                                   \
  w[2] = _mm256_fmsub_ps(U8x8(b1_), dv, mv);                                        \
  w[3] = _mm256_fmsub_ps(U8x8_HIGH(b1_), dv, mv)
#define K_SUBBLOCK_AVX512                                                           \
  const __m512 dv = _mm512_set1_ps(dl_[c]), mv = _mm512_set1_ps(ml_[c]);            \
  w[0] = _mm512_fmsub_ps(U8x16(b0_), dv, mv);                                       \
  w[1] = _mm512_fmsub_ps(U8x16(b1_), dv, mv)
#define Q4_K_AVX2 Q4_K_BYTES K_SUBBLOCK_AVX2
#define Q4_K_AVX512 Q4_K_BYTES K_SUBBLOCK_AVX512

// ---- Q6_K: chunk c (values 32c …) is half h = c/4, quarter r = c%4: low bits from
// ql[64h + 32(r%2) …] (nibble r/2), high bits from qh[32h …] (bits 2r); scales 2c and 2c+1.
#define Q6_K_PREP const float d_ = H2F(b + 208); const int8_t *sc_ = (const int8_t *)(b + 192)
#define Q6_K_BYTES                                                                    \
  const int h_ = c / 4, r_ = c % 4;                                                   \
  const uint8_t *lp_ = b + 64 * h_ + 32 * (r_ % 2), *hp_ = b + 128 + 32 * h_;         \
  __m128i l0_ = _mm_loadu_si128((const __m128i *)lp_), l1_ = _mm_loadu_si128((const __m128i *)(lp_ + 16)); \
  if (r_ >= 2) { l0_ = HIGH_NIBBLES(l0_); l1_ = HIGH_NIBBLES(l1_); }                  \
  else { l0_ = LOW_NIBBLES(l0_); l1_ = LOW_NIBBLES(l1_); }                            \
  const __m128i three_ = _mm_set1_epi8(3);                                            \
  const __m128i shift_ = _mm_cvtsi32_si128(2 * r_);                                   \
  __m128i h0_ = _mm_and_si128(_mm_srl_epi16(_mm_loadu_si128((const __m128i *)hp_), shift_), three_); \
  __m128i h1_ = _mm_and_si128(_mm_srl_epi16(_mm_loadu_si128((const __m128i *)(hp_ + 16)), shift_), three_); \
  const __m128i q0_ = _mm_or_si128(l0_, _mm_slli_epi16(h0_, 4));                     \
  const __m128i q1_ = _mm_or_si128(l1_, _mm_slli_epi16(h1_, 4));                     \
  const float s0_ = d_ * (float)sc_[2 * c], s1_ = d_ * (float)sc_[2 * c + 1]
#define Q6_K_AVX2                                                                   \
  Q6_K_BYTES;                                                                       \
  const __m256 d0 = _mm256_set1_ps(s0_), o0 = _mm256_set1_ps(-32 * s0_);            \
  const __m256 d1 = _mm256_set1_ps(s1_), o1 = _mm256_set1_ps(-32 * s1_);            \
  w[0] = _mm256_fmadd_ps(U8x8(q0_), d0, o0);                                        \
  w[1] = _mm256_fmadd_ps(U8x8_HIGH(q0_), d0, o0);                                   \
  w[2] = _mm256_fmadd_ps(U8x8(q1_), d1, o1);                                        \
  w[3] = _mm256_fmadd_ps(U8x8_HIGH(q1_), d1, o1)
#define Q6_K_AVX512                                                                 \
  Q6_K_BYTES;                                                                       \
  w[0] = _mm512_fmadd_ps(U8x16(q0_), _mm512_set1_ps(s0_), _mm512_set1_ps(-32 * s0_)); \
  w[1] = _mm512_fmadd_ps(U8x16(q1_), _mm512_set1_ps(s1_), _mm512_set1_ps(-32 * s1_))

// ---- Q5_1: d · q + m, the fifth bits as in Q5_0 (qh after d and m).
#define Q5_1_PREP                                                      \
  const float d_ = H2F(b), m_ = H2F(b + 2);                            \
  const uint32_t qh_ = qb_u32(b + 4);                                  \
  const __m128i q_ = _mm_loadu_si128((const __m128i *)(b + 8));        \
  const __m128i lo_ = LOW_NIBBLES(q_), hi_ = HIGH_NIBBLES(q_)
#define Q5_1_AVX2                                                                   \
  const __m256 dv = _mm256_set1_ps(d_), off = _mm256_set1_ps(m_);                   \
  w[0] = _mm256_fmadd_ps(Q5_0_LANE8(lo_, 0), dv, off);                              \
  w[1] = _mm256_fmadd_ps(Q5_0_LANE8(_mm_srli_si128(lo_, 8), 8), dv, off);           \
  w[2] = _mm256_fmadd_ps(Q5_0_LANE8(hi_, 16), dv, off);                             \
  w[3] = _mm256_fmadd_ps(Q5_0_LANE8(_mm_srli_si128(hi_, 8), 24), dv, off)

// ---- Q5_K: Q4_K's sub-blocks (quants at b + 48) with the fifth bit of sub-block c's element l
// in bit c of qh[l] (b + 16).
#define Q5_K_PREP Q4_K_PREP
#define Q5_K_BYTES                                                                    \
  const uint8_t *q_ = b + 48 + 32 * (c / 2);                                          \
  __m128i b0_ = _mm_loadu_si128((const __m128i *)q_), b1_ = _mm_loadu_si128((const __m128i *)(q_ + 16)); \
  if (c & 1) { b0_ = HIGH_NIBBLES(b0_); b1_ = HIGH_NIBBLES(b1_); }                    \
  else { b0_ = LOW_NIBBLES(b0_); b1_ = LOW_NIBBLES(b1_); }                            \
  const __m128i bit_ = _mm_cvtsi32_si128(c), one_ = _mm_set1_epi8(1);                 \
  b0_ = _mm_or_si128(b0_, _mm_slli_epi16(_mm_and_si128(_mm_srl_epi16(_mm_loadu_si128((const __m128i *)(b + 16)), bit_), one_), 4)); \
  b1_ = _mm_or_si128(b1_, _mm_slli_epi16(_mm_and_si128(_mm_srl_epi16(_mm_loadu_si128((const __m128i *)(b + 32)), bit_), one_), 4));
#define Q5_K_AVX2 Q5_K_BYTES K_SUBBLOCK_AVX2
#define Q5_K_AVX512 Q5_K_BYTES K_SUBBLOCK_AVX512

// ---- Q2_K and Q3_K: chunk c (values 32c …) is groups 2c and 2c + 1 (16 values each, one scale
// each); its 2-bit quants are bits 2·(c%4) of qs[32·(c/4) …].
#define LOW_BITS2(qs)                                                                 \
  const __m128i shift_ = _mm_cvtsi32_si128(2 * (c % 4)), three_ = _mm_set1_epi8(3);   \
  const uint8_t *q_ = (qs) + 32 * (c / 4);                                            \
  __m128i b0_ = _mm_and_si128(_mm_srl_epi16(_mm_loadu_si128((const __m128i *)q_), shift_), three_); \
  __m128i b1_ = _mm_and_si128(_mm_srl_epi16(_mm_loadu_si128((const __m128i *)(q_ + 16)), shift_), three_)
// Q2_K: (d · sc_g) · q − (dmin · m_g).
#define Q2_K_PREP                                                      \
  const float d_ = H2F(b + 80), dmin_ = H2F(b + 82);                   \
  float dl_[16], ml_[16];                                              \
  for (int g = 0; g < 16; g++) {                                       \
    dl_[g] = d_ * (float)(b[g] & 15);                                  \
    ml_[g] = dmin_ * (float)(b[g] >> 4);                               \
  }
#define Q2_K_AVX2                                                                   \
  LOW_BITS2(b + 16);                                                                \
  const __m256 d0 = _mm256_set1_ps(dl_[2 * c]), m0 = _mm256_set1_ps(ml_[2 * c]);    \
  const __m256 d1 = _mm256_set1_ps(dl_[2 * c + 1]), m1 = _mm256_set1_ps(ml_[2 * c + 1]); \
  w[0] = _mm256_fmsub_ps(U8x8(b0_), d0, m0);                                        \
  w[1] = _mm256_fmsub_ps(U8x8_HIGH(b0_), d0, m0);                                   \
  w[2] = _mm256_fmsub_ps(U8x8(b1_), d1, m1);                                        \
  w[3] = _mm256_fmsub_ps(U8x8_HIGH(b1_), d1, m1)
#define Q2_K_AVX512                                                                 \
  LOW_BITS2(b + 16);                                                                \
  w[0] = _mm512_fmsub_ps(U8x16(b0_), _mm512_set1_ps(dl_[2 * c]), _mm512_set1_ps(ml_[2 * c])); \
  w[1] = _mm512_fmsub_ps(U8x16(b1_), _mm512_set1_ps(dl_[2 * c + 1]), _mm512_set1_ps(ml_[2 * c + 1]))
// Q3_K: (d · scale_g) · (low + 4·high − 4), the high bit of chunk c's element l in bit c of hmask[l].
#define Q3_K_PREP                                                      \
  const float d_ = H2F(b + 108);                                       \
  float dl_[16];                                                       \
  for (int g = 0; g < 16; g++) dl_[g] = d_ * (float)qb_q3_k_scale(b + 96, g);
#define Q3_K_BYTES                                                                    \
  LOW_BITS2(b + 32);                                                                  \
  const __m128i bit_ = _mm_cvtsi32_si128(c), one_ = _mm_set1_epi8(1);                 \
  b0_ = _mm_or_si128(b0_, _mm_slli_epi16(_mm_and_si128(_mm_srl_epi16(_mm_loadu_si128((const __m128i *)b), bit_), one_), 2)); \
  b1_ = _mm_or_si128(b1_, _mm_slli_epi16(_mm_and_si128(_mm_srl_epi16(_mm_loadu_si128((const __m128i *)(b + 16)), bit_), one_), 2))
#define Q3_K_AVX2                                                                   \
  Q3_K_BYTES;                                                                       \
  const __m256 d0 = _mm256_set1_ps(dl_[2 * c]), o0 = _mm256_set1_ps(-4 * dl_[2 * c]); \
  const __m256 d1 = _mm256_set1_ps(dl_[2 * c + 1]), o1 = _mm256_set1_ps(-4 * dl_[2 * c + 1]); \
  w[0] = _mm256_fmadd_ps(U8x8(b0_), d0, o0);                                        \
  w[1] = _mm256_fmadd_ps(U8x8_HIGH(b0_), d0, o0);                                   \
  w[2] = _mm256_fmadd_ps(U8x8(b1_), d1, o1);                                        \
  w[3] = _mm256_fmadd_ps(U8x8_HIGH(b1_), d1, o1)
#define Q3_K_AVX512                                                                 \
  Q3_K_BYTES;                                                                       \
  w[0] = _mm512_fmadd_ps(U8x16(b0_), _mm512_set1_ps(dl_[2 * c]), _mm512_set1_ps(-4 * dl_[2 * c])); \
  w[1] = _mm512_fmadd_ps(U8x16(b1_), _mm512_set1_ps(dl_[2 * c + 1]), _mm512_set1_ps(-4 * dl_[2 * c + 1]))

// AVX2 kernels for every type below; AVX-512 ones for the 256-value types (the 32-value types run
// the block-scaled kernels of matvec_scaled_x86.c there).
#define AVX2_KERNELS(type, BS, BYTES)                                                         \
  AVX2_KERNEL(avx2_##type##_1, BS, BYTES, 1, type)                                            \
  AVX2_KERNEL(avx2_##type##_2, BS, BYTES, 2, type)                                            \
  AVX2_KERNEL(avx2_##type##_4, BS, BYTES, 4, type)                                            \
  static const row_kernel type##_avx2[3] = {avx2_##type##_1, avx2_##type##_2, avx2_##type##_4};
#define AVX512_KERNELS(type, BS, BYTES)                                                       \
  AVX512_KERNEL(avx512_##type##_1, BS, BYTES, 1, type)                                        \
  AVX512_KERNEL(avx512_##type##_2, BS, BYTES, 2, type)                                        \
  AVX512_KERNEL(avx512_##type##_4, BS, BYTES, 4, type)                                        \
  static const row_kernel type##_avx512[3] = {avx512_##type##_1, avx512_##type##_2, avx512_##type##_4};

AVX2_KERNELS(Q4_0, 32, 18)
AVX2_KERNELS(Q4_1, 32, 20)
AVX2_KERNELS(Q5_0, 32, 22)
AVX2_KERNELS(Q5_1, 32, 24)
AVX2_KERNELS(Q8_0, 32, 34)
AVX2_KERNELS(Q2_K, 256, 84)
AVX2_KERNELS(Q3_K, 256, 110)
AVX2_KERNELS(Q4_K, 256, 144)
AVX2_KERNELS(Q5_K, 256, 176)
AVX2_KERNELS(Q6_K, 256, 210)
AVX512_KERNELS(Q2_K, 256, 84)
AVX512_KERNELS(Q3_K, 256, 110)
AVX512_KERNELS(Q4_K, 256, 144)
AVX512_KERNELS(Q5_K, 256, 176)
AVX512_KERNELS(Q6_K, 256, 210)

// ---- Exact decoding: the reference's operations lane by lane (d · (q − 8), (d · q) + m, …),
// multiplies and adds kept apart, scales widened by qb_half (NaN payloads as numpy keeps them).
#undef H2F
#define H2F(p) qb_half(p)
#define Q4_0_AVX2_EXACT                                                             \
  const __m256 dv = _mm256_set1_ps(d_), k8 = _mm256_set1_ps(8);                     \
  w[0] = _mm256_mul_ps(dv, _mm256_sub_ps(U8x8(lo_), k8));                           \
  w[1] = _mm256_mul_ps(dv, _mm256_sub_ps(U8x8_HIGH(lo_), k8));                      \
  w[2] = _mm256_mul_ps(dv, _mm256_sub_ps(U8x8(hi_), k8));                           \
  w[3] = _mm256_mul_ps(dv, _mm256_sub_ps(U8x8_HIGH(hi_), k8))
#define Q4_0_AVX512_EXACT                                                           \
  const __m512 dv = _mm512_set1_ps(d_), k8 = _mm512_set1_ps(8);                     \
  w[0] = _mm512_mul_ps(dv, _mm512_sub_ps(U8x16(lo_), k8));                          \
  w[1] = _mm512_mul_ps(dv, _mm512_sub_ps(U8x16(hi_), k8))
#define Q4_1_AVX2_EXACT                                                             \
  const __m256 dv = _mm256_set1_ps(d_), mv = _mm256_set1_ps(m_);                    \
  w[0] = _mm256_add_ps(_mm256_mul_ps(dv, U8x8(lo_)), mv);                           \
  w[1] = _mm256_add_ps(_mm256_mul_ps(dv, U8x8_HIGH(lo_)), mv);                      \
  w[2] = _mm256_add_ps(_mm256_mul_ps(dv, U8x8(hi_)), mv);                           \
  w[3] = _mm256_add_ps(_mm256_mul_ps(dv, U8x8_HIGH(hi_)), mv)
#define Q4_1_AVX512_EXACT                                                           \
  const __m512 dv = _mm512_set1_ps(d_), mv = _mm512_set1_ps(m_);                    \
  w[0] = _mm512_add_ps(_mm512_mul_ps(dv, U8x16(lo_)), mv);                          \
  w[1] = _mm512_add_ps(_mm512_mul_ps(dv, U8x16(hi_)), mv)
#define Q5_0_AVX2_EXACT                                                             \
  const __m256 dv = _mm256_set1_ps(d_), k16 = _mm256_set1_ps(16);                   \
  w[0] = _mm256_mul_ps(dv, _mm256_sub_ps(Q5_0_LANE8(lo_, 0), k16));                 \
  w[1] = _mm256_mul_ps(dv, _mm256_sub_ps(Q5_0_LANE8(_mm_srli_si128(lo_, 8), 8), k16)); \
  w[2] = _mm256_mul_ps(dv, _mm256_sub_ps(Q5_0_LANE8(hi_, 16), k16));                \
  w[3] = _mm256_mul_ps(dv, _mm256_sub_ps(Q5_0_LANE8(_mm_srli_si128(hi_, 8), 24), k16))
#define Q5_0_AVX512_EXACT                                                           \
  const __m512 dv = _mm512_set1_ps(d_), k16 = _mm512_set1_ps(16);                   \
  w[0] = _mm512_mul_ps(dv, _mm512_sub_ps(_mm512_cvtepi32_ps(_mm512_or_si512(_mm512_cvtepu8_epi32(lo_), Q5_0_BITS16(0))), k16)); \
  w[1] = _mm512_mul_ps(dv, _mm512_sub_ps(_mm512_cvtepi32_ps(_mm512_or_si512(_mm512_cvtepu8_epi32(hi_), Q5_0_BITS16(16))), k16))
#define Q8_0_AVX2_EXACT Q8_0_AVX2
#define Q8_0_AVX512_EXACT Q8_0_AVX512
#define Q4_K_AVX2_EXACT                                                             \
  Q4_K_BYTES                                                                        \
  const __m256 dv = _mm256_set1_ps(dl_[c]), mv = _mm256_set1_ps(ml_[c]);            \
  w[0] = _mm256_sub_ps(_mm256_mul_ps(dv, U8x8(b0_)), mv);                           \
  w[1] = _mm256_sub_ps(_mm256_mul_ps(dv, U8x8_HIGH(b0_)), mv);                      \
  w[2] = _mm256_sub_ps(_mm256_mul_ps(dv, U8x8(b1_)), mv);                           \
  w[3] = _mm256_sub_ps(_mm256_mul_ps(dv, U8x8_HIGH(b1_)), mv)
#define Q4_K_AVX512_EXACT                                                           \
  Q4_K_BYTES                                                                        \
  const __m512 dv = _mm512_set1_ps(dl_[c]), mv = _mm512_set1_ps(ml_[c]);            \
  w[0] = _mm512_sub_ps(_mm512_mul_ps(dv, U8x16(b0_)), mv);                          \
  w[1] = _mm512_sub_ps(_mm512_mul_ps(dv, U8x16(b1_)), mv)
#define Q6_K_AVX2_EXACT                                                             \
  Q6_K_BYTES;                                                                       \
  const __m256 d0 = _mm256_set1_ps(s0_), d1 = _mm256_set1_ps(s1_), k32 = _mm256_set1_ps(32); \
  w[0] = _mm256_mul_ps(d0, _mm256_sub_ps(U8x8(q0_), k32));                          \
  w[1] = _mm256_mul_ps(d0, _mm256_sub_ps(U8x8_HIGH(q0_), k32));                     \
  w[2] = _mm256_mul_ps(d1, _mm256_sub_ps(U8x8(q1_), k32));                          \
  w[3] = _mm256_mul_ps(d1, _mm256_sub_ps(U8x8_HIGH(q1_), k32))
#define Q6_K_AVX512_EXACT                                                           \
  Q6_K_BYTES;                                                                       \
  const __m512 k32 = _mm512_set1_ps(32);                                            \
  w[0] = _mm512_mul_ps(_mm512_set1_ps(s0_), _mm512_sub_ps(U8x16(q0_), k32));        \
  w[1] = _mm512_mul_ps(_mm512_set1_ps(s1_), _mm512_sub_ps(U8x16(q1_), k32))

#define DECODE_KERNEL(name, ATTR, VEC, WN, WIDTH, STORE, BS, BYTES, TYPE, ISA)       \
  ATTR static void name(const uint8_t *src, float *dst, long blocks) {              \
    for (long blk = 0; blk < blocks; blk++) {                                       \
      const uint8_t *b = src + blk * (BYTES);                                       \
      TYPE##_PREP;                                                                  \
      for (int c = 0; c < (BS) / 32; c++) {                                         \
        VEC w[WN];                                                                  \
        TYPE##_##ISA##_EXACT;                                                       \
        for (int k = 0; k < (WN); k++) STORE(dst + blk * (BS) + c * 32 + k * (WIDTH), w[k]); \
      }                                                                             \
    }                                                                               \
  }
#define DECODERS(type, BS, BYTES)                                                                          \
  DECODE_KERNEL(decode_avx2_##type, AVX2_ATTR, __m256, 4, 8, _mm256_storeu_ps, BS, BYTES, type, AVX2)     \
  DECODE_KERNEL(decode_avx512_##type, AVX512_ATTR, __m512, 2, 16, _mm512_storeu_ps, BS, BYTES, type, AVX512)
DECODERS(Q4_0, 32, 18)
DECODERS(Q4_1, 32, 20)
DECODERS(Q5_0, 32, 22)
DECODERS(Q8_0, 32, 34)
DECODERS(Q4_K, 256, 144)
DECODERS(Q6_K, 256, 210)

row_decoder attnscope_quant_row_decoder(int type, int level) {
  int wide = level >= ATTNSCOPE_QUANT_AVX512;
  if (level < ATTNSCOPE_QUANT_AVX2) return 0;
  switch (type) {
  case 2: return wide ? decode_avx512_Q4_0 : decode_avx2_Q4_0;
  case 3: return wide ? decode_avx512_Q4_1 : decode_avx2_Q4_1;
  case 6: return wide ? decode_avx512_Q5_0 : decode_avx2_Q5_0;
  case 8: return wide ? decode_avx512_Q8_0 : decode_avx2_Q8_0;
  case 12: return wide ? decode_avx512_Q4_K : decode_avx2_Q4_K;
  case 14: return wide ? decode_avx512_Q6_K : decode_avx2_Q6_K;
  default: return 0;
  }
}

const row_kernel *attnscope_quant_row_kernels(int type, int level) {
  if (level < ATTNSCOPE_QUANT_AVX2) return 0;
  if (level >= ATTNSCOPE_QUANT_AVX512) {
    switch (type) {
    case 10: return Q2_K_avx512;
    case 11: return Q3_K_avx512;
    case 12: return Q4_K_avx512;
    case 13: return Q5_K_avx512;
    case 14: return Q6_K_avx512;
    default: return 0;  // the 32-value types: matvec_scaled_x86.c
    }
  }
  switch (type) {
  case 2: return Q4_0_avx2;
  case 3: return Q4_1_avx2;
  case 6: return Q5_0_avx2;
  case 7: return Q5_1_avx2;
  case 8: return Q8_0_avx2;
  case 10: return Q2_K_avx2;
  case 11: return Q3_K_avx2;
  case 12: return Q4_K_avx2;
  case 13: return Q5_K_avx2;
  case 14: return Q6_K_avx2;
  default: return 0;
  }
}

#else
const row_kernel *attnscope_quant_row_kernels(int type, int level) { return 0; }
row_decoder attnscope_quant_row_decoder(int type, int level) { return 0; }
#endif
