// The host's half of the `s` key (Effect.exportScreen): writes the files AppCore rendered, or says
// in one line why not.
import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

enum ScreenFiles {
  struct Failure: Error, CustomStringConvertible {
    let description: String
  }

  /// Writes every file and returns their full paths; the first failure names the file.
  static func write(_ files: [(path: String, contents: String)]) throws -> [String] {
    var written: [String] = []
    for file in files {
      let path = (file.path as NSString).expandingTildeInPath
      if let problem = write(file.contents, to: path) {
        throw Failure(description: "could not write \(path): \(problem)")
      }
      written.append(URL(fileURLWithPath: path).standardizedFileURL.path)
    }
    return written
  }

  /// nil on success, else the system's reason (strerror), short enough for the notice line.
  static func write(_ text: String, to path: String) -> String? {
    guard let file = fopen(path, "w") else { return String(cString: strerror(errno)) }
    let bytes = Array(text.utf8)
    let count = bytes.withUnsafeBufferPointer { fwrite($0.baseAddress, 1, $0.count, file) }
    let failed = count != bytes.count ? errno : 0
    if fclose(file) != 0 || failed != 0 { return String(cString: strerror(failed != 0 ? failed : errno)) }
    return nil
  }
}
