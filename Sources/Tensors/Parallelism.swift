// Who runs the engine's threads. OpenBLAS's own pool spins (sched_yield) for a while after every
// threaded call, and on two cores that spinning worker competes with everything the engine does
// between products — softmax, GELU, the per-head attention split — which cost a 512-token MiniLM
// forward about a quarter of its time (BENCHMARKS.md). After `takeOverThreads()` OpenBLAS runs
// single-threaded and the engine splits large products by rows over its own (sleeping, GCD)
// threads instead, so one pool serves every kernel, as PyTorch's intra-op pool does.

public enum Parallelism {
  /// Set once by `takeOverThreads()` at program start, before any other thread exists.
  nonisolated(unsafe) public private(set) static var ownsThreads = false

  /// Set while a caller splits work over the cores itself (a training step splits its batch):
  /// products inside then run whole on the calling thread.
  nonisolated(unsafe) public private(set) static var splittingSuspended = false

  /// Runs `body` with products unsplit (see `splittingSuspended`). One caller at a time: training
  /// runs one loop per process.
  public static func withoutSplitting<R>(_ body: () throws -> R) rethrows -> R {
    guard ownsThreads else { return try body() }  // nothing to suspend (and no shared write)
    let previous = splittingSuspended
    splittingSuspended = true
    defer { splittingSuspended = previous }
    return try body()
  }

  /// Call once at program start (the CLI and the benchmark do); tests keep OpenBLAS's own threads.
  public static func takeOverThreads() {
    guard Softmax.threads > 1 else { return }
    BLASThreads.setSingleThreaded()
    ownsThreads = true
  }
}
