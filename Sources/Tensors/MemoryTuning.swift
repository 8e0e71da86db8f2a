// A forward pass at a few hundred tokens allocates and frees tens of megabytes per layer (score
// blocks of heads × n × n floats). glibc serves blocks above its mmap threshold with fresh mmap
// pages and returns freed heap tops to the kernel, so every pass pays page faults and zeroing
// again: about 30% of a 512-token MiniLM forward on two cores (BENCHMARKS.md). Keeping blocks up
// to 32 MB (glibc's largest mmap threshold) on the heap, and not trimming below 1 GB, lets the
// next pass reuse the same pages — what PyTorch gets from its caching allocator.
import CKernels

public enum MemoryTuning {
  /// Call once at program start (the CLI and the benchmark do). A no-op where glibc is absent.
  public static func keepLargeBuffersInProcess() {
    attnscope_keep_large_buffers()
  }
}
