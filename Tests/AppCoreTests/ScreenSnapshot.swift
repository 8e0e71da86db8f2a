// Golden-file snapshots of whole screens, exported as ANSI at a fixed size and colour depth: the
// RenderTests helper (Tests/RenderTests/Snapshot.swift) for AppCore's screens. Re-record with
// ATTNSCOPE_RECORD_SNAPSHOTS=1, which fails the run so a recording never passes unnoticed.
import Foundation
import Testing

@testable import Render

func assertScreenSnapshot(
  _ canvas: Canvas, depth: ColorDepth, named name: String, filePath: String = #filePath,
  sourceLocation: SourceLocation = #_sourceLocation
) {
  let actual = ANSIExporter.render(canvas, depth: depth)
  let url = URL(fileURLWithPath: filePath).deletingLastPathComponent()
    .appendingPathComponent("Golden").appendingPathComponent("\(name).\(depth.rawValue).ansi")
  if ProcessInfo.processInfo.environment["ATTNSCOPE_RECORD_SNAPSHOTS"] == "1" {
    do {
      try actual.write(to: url, atomically: true, encoding: .utf8)
    } catch {
      Issue.record("could not record \(url.path): \(error)", sourceLocation: sourceLocation)
    }
    Issue.record(
      "recorded \(url.lastPathComponent); unset ATTNSCOPE_RECORD_SNAPSHOTS and run again",
      sourceLocation: sourceLocation)
    return
  }
  guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
    Issue.record(
      "no golden file \(url.path); record it with ATTNSCOPE_RECORD_SNAPSHOTS=1",
      sourceLocation: sourceLocation)
    return
  }
  if let diff = LineDiff.describe(
    expected: expected.components(separatedBy: "\n"), actual: actual.components(separatedBy: "\n"))
  {
    Issue.record("snapshot \(url.lastPathComponent) differs:\n\(diff)", sourceLocation: sourceLocation)
  }
}
