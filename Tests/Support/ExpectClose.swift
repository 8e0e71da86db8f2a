// Helpers every numerical test target shares (a library target, so one copy serves them all).
import Foundation
import Testing

/// Fails with the first values of both sides and the max abs difference, as llm.c's
/// `test_gpt2.c` does, so a parity failure says at once how far off and where.
public func expectClose(
  _ actual: [Float], _ expected: [Float], tolerance: Float = 1e-4, _ what: String,
  sourceLocation: SourceLocation = #_sourceLocation
) {
  guard actual.count == expected.count else {
    Issue.record(
      "\(what): \(actual.count) values, expected \(expected.count)", sourceLocation: sourceLocation)
    return
  }
  let diff = zip(actual, expected).map { abs($0 - $1) }.max() ?? 0
  // ATTNSCOPE_PARITY_REPORT=1 prints every margin, passing or not, to see how close a check runs.
  if ProcessInfo.processInfo.environment["ATTNSCOPE_PARITY_REPORT"] != nil {
    print("parity \(what): max abs diff \(diff) (tolerance \(tolerance))")
  }
  if !(diff <= tolerance) {
    Issue.record(
      """
      \(what): max abs diff \(diff) > \(tolerance)
        actual   \(actual.prefix(6))
        expected \(expected.prefix(6))
      """, sourceLocation: sourceLocation)
  }
}
