// Loads the transformers fixtures (scripts/make_hf_fixtures.py) and compares with a readable failure.
import Foundation
import Safetensors
import Testing

enum HFFixtures {
  static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("Fixtures")

  static func folder(_ name: String) -> URL { directory.appendingPathComponent(name) }

  static func expected(_ name: String) throws -> SafetensorsFile {
    try SafetensorsFile.load(path: folder(name).appendingPathComponent("expected.safetensors").path)
  }
}

/// Fails with the first values of both sides and the max abs difference (llm.c's test_gpt2.c).
func expectClose(
  _ actual: [Float], _ expected: [Float], tolerance: Float = 1e-4, _ what: String,
  sourceLocation: SourceLocation = #_sourceLocation
) {
  guard actual.count == expected.count else {
    Issue.record(
      "\(what): \(actual.count) values, expected \(expected.count)", sourceLocation: sourceLocation)
    return
  }
  let diff = zip(actual, expected).map { abs($0 - $1) }.max() ?? 0
  if !(diff <= tolerance) {
    Issue.record(
      """
      \(what): max abs diff \(diff) > \(tolerance)
        actual   \(actual.prefix(6))
        expected \(expected.prefix(6))
      """, sourceLocation: sourceLocation)
  }
}
