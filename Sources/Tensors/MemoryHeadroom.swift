// How much more memory the process may take under an address-space limit (`ulimit -v`, RLIMIT_AS),
// so that a large allocation that cannot succeed ends with one line naming the limit instead of
// the Swift runtime's crash ("Could not allocate memory", then SIGABRT): the runtime has no
// recoverable allocation failure, so the check comes before the allocation.
import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

public enum MemoryHeadroom {
  /// Address space kept free for the allocator's own overhead, thread stacks and small buffers.
  static let margin = 32 << 20

  /// Bytes the limit still allows (the limit less the process's current virtual size); nil when
  /// there is no limit (or it cannot be read).
  public static func available() -> Int? {
    var limit = rlimit()
    #if canImport(Glibc)
      guard getrlimit(__rlimit_resource_t(RLIMIT_AS.rawValue), &limit) == 0 else { return nil }
    #else
      guard getrlimit(RLIMIT_AS, &limit) == 0 else { return nil }
    #endif
    guard limit.rlim_cur != rlim_t.max, let used = virtualSize() else { return nil }  // RLIM_INFINITY
    return Int(clamping: limit.rlim_cur) - used
  }

  /// The process's virtual size: the first field of /proc/self/statm, in pages (Linux).
  static func virtualSize() -> Int? {
    guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8),
      let pages = text.split(separator: " ").first.flatMap({ Int($0) })
    else { return nil }
    return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
  }

  /// nil when `bytes` more fit under the limit, else the one-line reason naming `what`.
  public static func shortfall(_ bytes: Int, for what: String) -> String? {
    guard let available = available(), bytes + margin > available else { return nil }
    return "out of memory: \(what) needs \(megabytes(bytes)) more, but the address-space limit"
      + " (ulimit -v) leaves \(megabytes(max(0, available)))"
  }

  /// For an allocation deep in the engine with no error path: when `bytes` do not fit, writes the
  /// reason on stderr as one line and exits with status 1 (atexit handlers restore the terminal).
  public static func require(_ bytes: Int, for what: @autoclosure () -> String) {
    guard bytes >= 1 << 24, let reason = shortfall(bytes, for: what()) else { return }
    FileHandle.standardError.write(Data(("attnscope: " + reason + "\n").utf8))
    exit(1)
  }

  static func megabytes(_ bytes: Int) -> String { "\((bytes + (1 << 19)) >> 20) MB" }
}
