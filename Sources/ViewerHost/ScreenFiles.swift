// The host's half of the `s` key (Effect.exportScreen): writes the files AppCore rendered, or says
// in one line why not.
import Foundation

#if canImport(Glibc)
  import Glibc
  private let systemWrite = Glibc.write
#elseif canImport(Darwin)
  import Darwin
  private let systemWrite = Darwin.write
#endif

public enum ScreenFiles {
  struct Failure: Error, CustomStringConvertible {
    let description: String
  }

  /// Writes every file and returns their full paths; the first failure names the file.
  static func write(_ files: [(path: String, contents: String)]) throws -> [String] {
    try write(files.map { (path: $0.path, bytes: Array($0.contents.utf8)) })
  }

  /// The same for files of bytes (a PNG).
  public static func write(_ files: [(path: String, bytes: [UInt8])]) throws -> [String] {
    var written: [String] = []
    for file in files {
      let path = (file.path as NSString).expandingTildeInPath
      if let problem = store(file.bytes, to: path) {
        throw Failure(description: "could not write \(path): \(problem)")
      }
      written.append(URL(fileURLWithPath: path).standardizedFileURL.path)
    }
    return written
  }

  /// nil on success, else the reason, short enough for the notice line. Only a regular file is
  /// written: the file is opened without blocking (a FIFO with no reader would otherwise hang the
  /// viewer in `open`, past `q` and Ctrl-C) and anything else is refused before a byte is written.
  static func store(_ bytes: [UInt8], to path: String) -> String? {
    let fd = open(path, O_WRONLY | O_CREAT | O_NONBLOCK | O_CLOEXEC, 0o644)
    guard fd >= 0 else { return String(cString: strerror(errno)) }
    defer { close(fd) }
    var status = stat()
    guard fstat(fd, &status) == 0 else { return String(cString: strerror(errno)) }
    guard status.st_mode & S_IFMT == S_IFREG else { return "not a regular file" }
    guard ftruncate(fd, 0) == 0 else { return String(cString: strerror(errno)) }
    var done = 0
    while done < bytes.count {
      let n = bytes[done...].withUnsafeBytes { systemWrite(fd, $0.baseAddress, $0.count) }
      if n < 0 {
        if errno == EINTR || errno == EAGAIN { continue }
        return String(cString: strerror(errno))
      }
      done += n
    }
    return nil
  }
}
