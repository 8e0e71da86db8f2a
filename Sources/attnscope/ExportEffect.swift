// The host's half of the `s` key (Effect.exportScreen): writes the files AppCore rendered and says
// where, or in one line why not; the TUI keeps running either way.
import AppCore
import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

enum ExportEffect {
  static func perform(_ name: String, state: inout AppState, size: (width: Int, height: Int)) {
    let expanded = (name as NSString).expandingTildeInPath
    var written: [String] = []
    for file in ScreenExport.files(state, size: size, name: expanded) {
      if let problem = write(file.contents, to: file.path) {
        state.notice = "could not write \(file.path): \(problem)"
        return
      }
      written.append(URL(fileURLWithPath: file.path).standardizedFileURL.path)
    }
    state.notice = "wrote " + written.joined(separator: " and ")
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
