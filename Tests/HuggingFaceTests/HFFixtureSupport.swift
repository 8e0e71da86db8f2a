// Loads the transformers fixtures (scripts/make_hf_fixtures.py) and compares with a readable failure.
import Foundation
import Safetensors
import TestSupport
import Testing

enum HFFixtures {
  static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("Fixtures")

  static func folder(_ name: String) -> URL { directory.appendingPathComponent(name) }

  static func expected(_ name: String) throws -> SafetensorsFile {
    try SafetensorsFile.load(path: folder(name).appendingPathComponent("expected.safetensors").path)
  }
}
