// Loads the PyTorch fixtures (scripts/make_fixtures.py) and compares with a readable failure.
import Foundation
import Safetensors
import Tensors
import TestSupport
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
