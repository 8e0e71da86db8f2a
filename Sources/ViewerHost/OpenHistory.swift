// The folders and model files opened before, newest first, kept in $XDG_STATE_HOME/attnscope/opened
// (XDG Base Directory spec: state data; default ~/.local/state): one absolute path a line, at most
// `limit`. The file is only ever a convenience: one that cannot be read or written, is not a
// regular file, is larger than 64 KB or holds paths that no longer exist costs nothing but the
// list (those lines are skipped); it never stops a model from opening.
import FileInput
import Foundation
import Workbench

public enum OpenHistory {
  static let limit = 50

  public static func file(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
    let state =
      environment["XDG_STATE_HOME"].flatMap { $0.hasPrefix("/") ? $0 : nil }
      ?? (environment["HOME"] ?? NSHomeDirectory()) + "/.local/state"
    return state + "/attnscope/opened"
  }

  /// The remembered paths that still exist, newest first.
  public static func recent(environment: [String: String] = ProcessInfo.processInfo.environment) -> [String] {
    stored(environment: environment).filter { FileManager.default.fileExists(atPath: $0) }
  }

  static func stored(environment: [String: String]) -> [String] {
    guard let bytes = try? InputFile.read(file(environment: environment), limit: 64 << 10) else { return [] }
    return String(decoding: bytes, as: UTF8.self).split(separator: "\n").map(String.init)
      .filter { $0.hasPrefix("/") }
  }

  /// Remembers `reference` when it is a folder or file (sample names, hub ids and ollama: names
  /// are listed from their stores anyway). Returns false when the file could not be written.
  @discardableResult
  public static func remember(
    _ reference: String, environment: [String: String] = ProcessInfo.processInfo.environment
  ) -> Bool {
    guard !reference.hasPrefix(OllamaStore.prefix), reference.contains("/") || reference.hasPrefix("."),
      FileManager.default.fileExists(atPath: reference)
    else { return true }
    let path = URL(fileURLWithPath: (reference as NSString).expandingTildeInPath).standardizedFileURL.path
    let entries = [path] + stored(environment: environment).filter { $0 != path }
    let target = file(environment: environment)
    do {
      try FileManager.default.createDirectory(
        atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
      _ = try ScreenFiles.write([(target, Array((entries.prefix(limit).joined(separator: "\n") + "\n").utf8))]
      )
      return true
    } catch {
      return false
    }
  }
}
