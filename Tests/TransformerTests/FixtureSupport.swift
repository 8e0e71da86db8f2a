// Loads the PyTorch fixtures (scripts/make_fixtures.py) and compares with a readable failure.
import Foundation
import Safetensors
import Tensors
import Testing

enum Fixtures {
  static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("Fixtures")

  static func file(_ relativePath: String) throws -> SafetensorsFile {
    try SafetensorsFile.load(path: directory.appendingPathComponent(relativePath).path)
  }

  static func tensor(_ file: SafetensorsFile, _ name: String) throws -> Tensor {
    Tensor(shape: try file.info(name).shape, scalars: try file.floats(name))
  }
}

/// Fails with the first values of both sides and the max abs difference, as llm.c's test does.
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
