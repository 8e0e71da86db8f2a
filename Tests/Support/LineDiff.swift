// A readable difference between two renderings, for test failures: which lines differ and how,
// with escapes and line ends made visible (the report swift-argument-parser's assertSnapshot prints).
// Test support only: assertSnapshot reports with it.
import Render

public enum LineDiff {
  /// nil when the lines are equal; otherwise each differing line as "- expected" / "+ actual",
  /// numbered from 1, between bars so trailing spaces show, ESC shown as "␛".
  public static func describe(expected: [String], actual: [String]) -> String? {
    guard expected != actual else { return nil }
    var report: [String] = []
    var differing = 0
    for index in 0..<max(expected.count, actual.count) {
      let (old, new) = (line(expected, index), line(actual, index))
      guard old != new else { continue }
      differing += 1
      report.append("line \(index + 1):")
      report.append("  - " + (old.map(visible) ?? "(none)"))
      report.append("  + " + (new.map(visible) ?? "(none)"))
    }
    let header =
      "\(differing) of \(max(expected.count, actual.count)) lines differ "
      + "(expected \(expected.count) lines, got \(actual.count)):"
    return ([header] + report).joined(separator: "\n")
  }

  /// The differences between two canvases' characters.
  public static func describe(expected: Canvas, actual: Canvas) -> String? {
    describe(expected: expected.lines, actual: actual.lines)
  }

  static func line(_ lines: [String], _ index: Int) -> String? {
    lines.indices.contains(index) ? lines[index] : nil
  }

  static func visible(_ line: String) -> String {
    "|" + line.replacing("\u{1B}", with: "␛") + "|"
  }
}
