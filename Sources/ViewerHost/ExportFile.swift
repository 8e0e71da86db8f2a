// An export written in full or not at all: the bytes go to a temporary file in the destination's
// directory and are renamed over it at the end (rename(2) is atomic within a file system), so a
// full disk or a write error leaves no partial file behind, and an older file of that name intact.
import Foundation

#if canImport(Glibc)
  import Glibc
  private let systemWrite = Glibc.write
#elseif canImport(Darwin)
  import Darwin
  private let systemWrite = Darwin.write
#endif

public enum ExportFile {
  public struct Failure: Error, CustomStringConvertible {
    public let description: String
  }

  /// Creates the temporary file, hands `body` a function that writes bytes to it, then renames it
  /// to `path`; if anything throws, the temporary file is removed and the error names `path`.
  public static func write(
    to path: String, _ body: (_ write: @escaping ([UInt8]) throws -> Void) throws -> Void
  ) throws {
    let destination = (path as NSString).expandingTildeInPath
    let directory = (destination as NSString).deletingLastPathComponent
    let name = (destination as NSString).lastPathComponent
    var template = Array(((directory.isEmpty ? "." : directory) + "/.\(name).XXXXXX").utf8CString)
    let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
    guard fd >= 0 else { throw Failure(description: "cannot write \(path): \(reason())") }
    let temporary = String(cString: template)
    var closed = false
    do {
      try body { bytes in try writeAll(bytes, to: fd, path: path) }
      // Written data can still fail at close on some file systems (NFS): check it.
      guard fsync(fd) == 0 || errno == EINVAL, close(fd) == 0 else {
        closed = true
        throw Failure(description: "cannot write \(path): \(reason())")
      }
      closed = true
      fchmodDefault(temporary)
      guard rename(temporary, destination) == 0 else {
        throw Failure(description: "cannot write \(path): \(reason())")
      }
    } catch {
      if !closed { close(fd) }
      unlink(temporary)
      throw error
    }
  }

  static func writeAll(_ bytes: [UInt8], to fd: Int32, path: String) throws {
    try bytes.withUnsafeBytes { buffer in
      var offset = 0
      while offset < buffer.count {
        let written = systemWrite(fd, buffer.baseAddress! + offset, buffer.count - offset)
        if written < 0 {
          if errno == EINTR { continue }
          throw Failure(description: "cannot write \(path): \(reason())")
        }
        offset += written
      }
    }
  }

  /// mkstemp creates 0600; an export is an ordinary file (0644 less the umask).
  static func fchmodDefault(_ path: String) {
    let mask = umask(0)
    umask(mask)
    chmod(path, 0o666 & ~mask)
  }

  static func reason() -> String { String(cString: strerror(errno)) }
}
