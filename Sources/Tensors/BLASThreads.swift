// Keeps OpenBLAS to one thread while work is split across our own threads (training batches,
// attention heads): two callers each waking OpenBLAS's shared pool on 2 cores made a training step
// 2–3× slower than one caller. The controls
// (`openblas_get_num_threads`/`openblas_set_num_threads`) are looked up at run time so this module
// needs no BLAS dependency; with another BLAS (Accelerate on macOS) this does nothing.
#if canImport(Glibc)
  import Glibc
#endif

public enum BLASThreads {
  private struct Controls: @unchecked Sendable {
    let get: @convention(c) () -> Int32
    let set: @convention(c) (Int32) -> Void
  }

  private static let controls: Controls? = {
    #if canImport(Glibc)
      guard let process = dlopen(nil, RTLD_LAZY),
        let get = dlsym(process, "openblas_get_num_threads"),
        let set = dlsym(process, "openblas_set_num_threads")
      else { return nil }
      return Controls(
        get: unsafeBitCast(get, to: (@convention(c) () -> Int32).self),
        set: unsafeBitCast(set, to: (@convention(c) (Int32) -> Void).self))
    #else
      return nil
    #endif
  }()

  /// Sets OpenBLAS to one thread for good (see `Parallelism.takeOverThreads`).
  static func setSingleThreaded() { controls?.set(1) }

  /// Runs `body` with OpenBLAS single-threaded, then restores its thread count. Not for nesting or
  /// for concurrent callers: the setting is process-wide.
  public static func singleThreaded<R>(_ body: () -> R) -> R {
    guard let controls else { return body() }
    let previous = controls.get()
    guard previous > 1 else { return body() }
    controls.set(1)
    defer { controls.set(previous) }
    return body()
  }
}
