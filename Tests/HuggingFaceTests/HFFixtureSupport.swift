// Loads the transformers fixtures (scripts/make_hf_fixtures.py) and compares with a readable failure.
import Foundation
import Safetensors
import TestSupport
import Testing

enum HFFixtures {
  /// A scratch copy of a fixture folder in the temporary directory, edited by `change`.
  static func scratchCopy(_ fixture: String, _ change: (URL) throws -> Void) throws -> URL {
    let copy = FileManager.default.temporaryDirectory.appendingPathComponent("hf-\(UUID().uuidString)")
    try FileManager.default.copyItem(at: Self.folder(fixture), to: copy)
    try change(copy)
    return copy
  }

  static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("Fixtures")

  static func folder(_ name: String) -> URL { directory.appendingPathComponent(name) }

  static func expected(_ name: String) throws -> SafetensorsFile {
    try SafetensorsFile.load(path: folder(name).appendingPathComponent("expected.safetensors").path)
  }
}
