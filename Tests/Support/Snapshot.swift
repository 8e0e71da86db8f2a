// Golden-file snapshots of a canvas's ANSI export (widgets in RenderTests, whole screens in
// AppCoreTests; the golden files live in each caller's Golden/ folder) at a fixed size and colour depth (bubbletea's
// screen tests), re-recorded on request and failing loudly when they are, as swift-argument-parser's
// `assertSnapshot` (ArgumentParserTestHelpers) does.
import Foundation
import Render
import Testing

public enum Snapshot {
  /// Set to 1 to rewrite the golden files from the current output (then unset it and re-run).
  public static let recordVariable = "ATTNSCOPE_RECORD_SNAPSHOTS"

  public static func goldenURL(_ name: String, depth: ColorDepth, filePath: String) -> URL {
    URL(fileURLWithPath: filePath).deletingLastPathComponent()
      .appendingPathComponent("Golden").appendingPathComponent("\(name).\(depth.rawValue).ansi")
  }
}

/// Compares `canvas` exported as ANSI at `depth` with `Golden/<name>.<depth>.ansi` beside this file.
/// On a mismatch the failure shows the differing lines (ESC as "␛"). With
/// ATTNSCOPE_RECORD_SNAPSHOTS=1 the file is rewritten and the test fails, so a recording run can
/// never pass unnoticed.
public func assertSnapshot(
  _ canvas: Canvas, depth: ColorDepth, named name: String, filePath: String = #filePath,
  sourceLocation: SourceLocation = #_sourceLocation
) {
  let actual = ANSIExporter.render(canvas, depth: depth)
  let url = Snapshot.goldenURL(name, depth: depth, filePath: filePath)
  let recording = ProcessInfo.processInfo.environment[Snapshot.recordVariable] == "1"
  if recording {
    do {
      try FileManager.default.createDirectory(
        at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
      try actual.write(to: url, atomically: true, encoding: .utf8)
    } catch {
      Issue.record("could not record \(url.path): \(error)", sourceLocation: sourceLocation)
    }
    #expect(
      Bool(false),
      "recorded snapshot \(url.lastPathComponent); unset \(Snapshot.recordVariable) and run the tests again",
      sourceLocation: sourceLocation)
    return
  }
  guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
    Issue.record(
      "no golden file \(url.path); run with \(Snapshot.recordVariable)=1 to record it",
      sourceLocation: sourceLocation)
    return
  }
  if let diff = LineDiff.describe(
    expected: expected.components(separatedBy: "\n"), actual: actual.components(separatedBy: "\n"))
  {
    Issue.record("snapshot \(url.lastPathComponent) differs:\n\(diff)", sourceLocation: sourceLocation)
  }
}
