// FIFOs and sparse files for the "not a regular file" and "sizes a small file implies" tests.
// A FIFO test must fail, never hang, if the code under test regresses to a blocking open(): while
// the body runs, a helper thread keeps trying a non-blocking open for writing, which succeeds only
// once a reader is blocked in open(), and so releases it (the reader then sees end of file).
import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

public enum SpecialFiles {
  /// Makes a FIFO at `path` and runs `body`; a reader blocked on it is released within ~2 s.
  public static func withFIFO<T>(at path: String, _ body: () throws -> T) throws -> T {
    guard mkfifo(path, 0o600) == 0 else {
      throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path])
    }
    let done = Flag()
    let thread = Thread {
      let start = Date()
      while !done.value {
        Thread.sleep(forTimeInterval: 0.05)
        guard Date().timeIntervalSince(start) > 2 else { continue }
        let fd = open(path, O_WRONLY | O_NONBLOCK)  // ENXIO until a reader has it open
        if fd >= 0 { close(fd) }
      }
    }
    thread.start()
    defer { done.set() }
    return try body()
  }

  /// A file of `size` bytes that starts with `prefix` and is a hole after it (no disk used).
  public static func sparse(at path: String, prefix: [UInt8] = [], size: Int) throws {
    guard FileManager.default.createFile(atPath: path, contents: Data(prefix)) else {
      throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path])
    }
    let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
    defer { try? handle.close() }
    try handle.truncate(atOffset: UInt64(size))
  }

  /// Seconds `body` takes.
  public static func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = Date()
    try body()
    return Date().timeIntervalSince(start)
  }
}

private final class Flag: @unchecked Sendable {
  private let lock = NSLock()
  private var raised = false
  var value: Bool { lock.withLock { raised } }
  func set() { lock.withLock { raised = true } }
}
