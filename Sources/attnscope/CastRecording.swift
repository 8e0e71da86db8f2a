// `--record FILE.cast`: the session as an asciicast v2 file (asciinema's format, docs.asciinema.org
// "asciicast v2"): a header line {"version": 2, "width", "height", "timestamp", "env"}, then one
// [seconds, "o", text] event per frame drawn (Render's TerminalFrameEncoder) and [seconds, "r",
// "WxH"] on a resize. Every event is written as it happens, so a crash keeps what came before.
import Foundation
import Render

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

final class CastRecording {
  private let descriptor: Int32
  private let path: String
  private let start = ContinuousClock.now
  private var encoder = TerminalFrameEncoder()
  private var size: (width: Int, height: Int)?
  /// The first failed write, reported once the terminal is back (recording stops there).
  private(set) var failure: String?

  /// Opens `path` for writing before anything else happens, so a bad path is one line and no TUI:
  /// a directory, a missing folder, a file that cannot be written, or something not a regular file.
  init(path: String) throws {
    var status = stat()
    if stat(path, &status) == 0, status.st_mode & S_IFMT == S_IFDIR {
      throw UserFacingError(
        description: "--record \(path): is a directory; give a file name such as session.cast")
    }
    let fd = open(path, O_WRONLY | O_CREAT | O_NONBLOCK | O_CLOEXEC, 0o644)
    guard fd >= 0 else {
      throw UserFacingError(description: "--record \(path): \(String(cString: strerror(errno)))")
    }
    guard fstat(fd, &status) == 0, status.st_mode & S_IFMT == S_IFREG, ftruncate(fd, 0) == 0 else {
      close(fd)
      throw UserFacingError(description: "--record \(path): not a regular file")
    }
    descriptor = fd
    self.path = path
  }

  deinit { close(descriptor) }

  /// One frame as drawn at `depth`; the first frame also writes the header with its size.
  func record(_ canvas: Canvas, depth: ColorDepth) {
    let current = (canvas.width, canvas.height)
    if let size, size != current {
      event("r", "\(canvas.width)x\(canvas.height)")
    } else if size == nil {
      header(width: canvas.width, height: canvas.height)
      event("o", TerminalFrameEncoder.enter)
    }
    size = current
    let text = encoder.encode(canvas, depth: depth)
    if !text.isEmpty { event("o", text) }
  }

  /// The last event: leaving the alternate screen, as the TUI does on quit.
  func finish() {
    if size != nil { event("o", TerminalFrameEncoder.leave) }
  }

  private func header(width: Int, height: Int) {
    let term = ProcessInfo.processInfo.environment["TERM"] ?? "xterm-256color"
    let timestamp = Int(Date().timeIntervalSince1970)
    append(
      "{\"version\": 2, \"width\": \(width), \"height\": \(height), \"timestamp\": \(timestamp), "
        + "\"env\": {\"TERM\": \(Self.jsonString(term))}}\n")
  }

  private func event(_ code: String, _ data: String) {
    let elapsed = ContinuousClock.now - start
    let micros = elapsed.components.seconds * 1_000_000 + elapsed.components.attoseconds / 1_000_000_000_000
    let fraction = String(micros % 1_000_000)
    let seconds = "\(micros / 1_000_000)." + String(repeating: "0", count: 6 - fraction.count) + fraction
    append("[\(seconds), \"\(code)\", \(Self.jsonString(data))]\n")
  }

  private func append(_ line: String) {
    guard failure == nil else { return }
    let bytes = Array(line.utf8)
    var done = 0
    while done < bytes.count {
      let n = bytes[done...].withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
      if n < 0 {
        if errno == EINTR || errno == EAGAIN { continue }
        failure = "--record \(path): \(String(cString: strerror(errno))); the recording stops there"
        return
      }
      done += n
    }
  }

  /// A JSON string literal (RFC 8259): quote, backslash and control characters escaped.
  static func jsonString(_ text: String) -> String {
    var output = "\""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\"": output += "\\\""
      case "\\": output += "\\\\"
      case "\n": output += "\\n"
      case "\r": output += "\\r"
      case "\t": output += "\\t"
      case _ where scalar.value < 0x20 || scalar.value == 0x7F:
        let hex = String(scalar.value, radix: 16)
        output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
      default: output.unicodeScalars.append(scalar)
      }
    }
    return output + "\""
  }
}
