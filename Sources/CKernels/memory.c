// Allocator settings for the engine's large per-pass buffers; see Tensors/MemoryTuning.swift.
#include <stdlib.h>  // first: it defines __GLIBC__ on glibc systems

#include "attnscope_kernels.h"

#if defined(__GLIBC__)
#include <malloc.h>
#endif

void attnscope_keep_large_buffers(void) {
#if defined(__GLIBC__)
  mallopt(M_MMAP_THRESHOLD, 32 * 1024 * 1024);  // glibc's largest allowed threshold
  mallopt(M_TRIM_THRESHOLD, 1024 * 1024 * 1024);
#endif
}
