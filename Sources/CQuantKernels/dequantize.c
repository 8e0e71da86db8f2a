// Row decoding for every supported GGML type, at the instruction-set level asked for: the same
// block functions (quant_blocks.h) compiled three times — portable, AVX2, AVX-512 — and chosen
// at run time with __builtin_cpu_supports, so one binary runs on any x86-64 and uses the widest
// vectors it finds. The compiler vectorises each copy's inner loops; the results are identical at
// every level because every lane does the same IEEE float32 operations (contraction is off).
#pragma clang fp contract(off)

#include "attnscope_quant.h"
#include "quant_blocks.h"
#include "matvec_x86.h"

#if defined(__x86_64__) || defined(__i386__)
#define QB_X86 1
#define QB_AVX2 __attribute__((target("avx2,fma,f16c")))
#define QB_AVX512 __attribute__((target("avx512f,avx512bw,avx512vl,avx2,fma,f16c")))
#endif

int attnscope_quant_best_level(void) {
#ifdef QB_X86
  if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
      __builtin_cpu_supports("avx512vl"))
    return ATTNSCOPE_QUANT_AVX512;
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") &&
      __builtin_cpu_supports("f16c"))
    return ATTNSCOPE_QUANT_AVX2;
#endif
  return ATTNSCOPE_QUANT_PORTABLE;
}

/// The level asked for, lowered to what this CPU has.
static int effective_level(int level) {
  int best = attnscope_quant_best_level();
  return level < best ? (level < 0 ? 0 : level) : best;
}

long attnscope_quant_block_elements(int type) {
  switch (type) {
  case 0: case 1: case 30: return 1;
  case 2: case 3: case 6: case 7: case 8: return 32;
  case 10: case 11: case 12: case 13: case 14: return 256;
  default: return 0;
  }
}

long attnscope_quant_block_bytes(int type) {
  switch (type) {
  case 0: return 4;
  case 1: case 30: return 2;
  case 2: return 18;
  case 3: return 20;
  case 6: return 22;
  case 7: return 24;
  case 8: return 34;
  case 10: return 84;
  case 11: return 110;
  case 12: return 144;
  case 13: return 176;
  case 14: return 210;
  default: return 0;
  }
}

// The 16- and 32-bit float types, element by element (blocks of one).
QB_INLINE void qb_f32(const uint8_t *b, float *out) { memcpy(out, b, 4); }
QB_INLINE void qb_f16(const uint8_t *b, float *out) { *out = qb_half(b); }
QB_INLINE void qb_bf16(const uint8_t *b, float *out) {
  uint32_t bits = ((uint32_t)b[0] | ((uint32_t)b[1] << 8)) << 16;
  memcpy(out, &bits, 4);
}

typedef void (*row_fn)(const uint8_t *, float *, long);


#define QB_TYPES(X) \
  X(f32, 1, 4) X(f16, 1, 2) X(bf16, 1, 2) X(q4_0, 32, 18) X(q4_1, 32, 20) X(q5_0, 32, 22) \
  X(q5_1, 32, 24) X(q8_0, 32, 34) X(q2_k, 256, 84) X(q3_k, 256, 110) X(q4_k, 256, 144)   \
  X(q5_k, 256, 176) X(q6_k, 256, 210)

#define QB_ROW_PORTABLE(name, elements, bytes)                                          \
  static void portable_##name(const uint8_t *src, float *dst, long blocks) {            \
    for (long i = 0; i < blocks; i++) qb_##name(src + i * (bytes), dst + i * (elements)); \
  }
QB_TYPES(QB_ROW_PORTABLE)

#ifdef QB_X86
#define QB_ROW_AVX2(name, elements, bytes)                                              \
  QB_AVX2 static void avx2_##name(const uint8_t *src, float *dst, long blocks) {        \
    for (long i = 0; i < blocks; i++) qb_##name(src + i * (bytes), dst + i * (elements)); \
  }
#define QB_ROW_AVX512(name, elements, bytes)                                            \
  QB_AVX512 static void avx512_##name(const uint8_t *src, float *dst, long blocks) {    \
    for (long i = 0; i < blocks; i++) qb_##name(src + i * (bytes), dst + i * (elements)); \
  }
QB_TYPES(QB_ROW_AVX2)
QB_TYPES(QB_ROW_AVX512)
#endif

static row_fn row_function(int type, int level) {
#ifdef QB_X86
#define QB_PICK(name) \
  (level == ATTNSCOPE_QUANT_AVX512 ? avx512_##name : level == ATTNSCOPE_QUANT_AVX2 ? avx2_##name : portable_##name)
#else
#define QB_PICK(name) portable_##name
#endif
  switch (type) {
  case 0: return QB_PICK(f32);
  case 1: return QB_PICK(f16);
  case 30: return QB_PICK(bf16);
  case 2: return QB_PICK(q4_0);
  case 3: return QB_PICK(q4_1);
  case 6: return QB_PICK(q5_0);
  case 7: return QB_PICK(q5_1);
  case 8: return QB_PICK(q8_0);
  case 10: return QB_PICK(q2_k);
  case 11: return QB_PICK(q3_k);
  case 12: return QB_PICK(q4_k);
  case 13: return QB_PICK(q5_k);
  case 14: return QB_PICK(q6_k);
  default: return 0;
  }
#undef QB_PICK
}

int attnscope_quant_decode(int type, int level, const void *blocks, float *destination, long elements) {
  long per = attnscope_quant_block_elements(type);
  if (per == 0 || elements < 0 || elements % per != 0) return -1;
  if (type == 0) {  // F32: the bytes are the values (little-endian hosts only, as everywhere here)
    if (elements > 0) memcpy(destination, blocks, (size_t)elements * 4);
    return 0;
  }
  int effective = effective_level(level);
  row_fn f = attnscope_quant_row_decoder(type, effective);
  if (!f) f = row_function(type, effective);
  if (!f) return -1;
  if (elements > 0) f((const uint8_t *)blocks, destination, elements / per);
  return 0;
}
