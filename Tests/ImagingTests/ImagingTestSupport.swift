// Fixture loading (scripts/make_image_fixtures.py) and small helpers shared by the Imaging tests.
import Foundation
import Imaging
import TestSupport
import Testing

enum Fixtures {
  static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("Fixtures")

  static func json(_ name: String) throws -> [[String: Any]] {
    let data = try Data(contentsOf: directory.appendingPathComponent(name))
    let root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    return try #require(root["cases"] as? [[String: Any]])
  }

  static func floats(_ value: Any?) throws -> [Float] {
    try #require(value as? [NSNumber]).map(\.floatValue)
  }

  static func ints(_ value: Any?) throws -> [Int] {
    try #require(value as? [NSNumber]).map(\.intValue)
  }
}

/// A fresh directory under the system temporary directory, removed by the caller's `defer`.
func temporaryDirectory() throws -> URL {
  let url = FileManager.default.temporaryDirectory.appendingPathComponent(
    "attnscope-imaging-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  return url
}

/// The error `body` throws, or a recorded issue when it does not throw one.
func imageError(
  sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws(ImageError) -> Image
) -> ImageError? {
  do {
    let image = try body()
    Issue.record(
      "expected an ImageError, got a \(image.width)×\(image.height) image", sourceLocation: sourceLocation)
    return nil
  } catch {
    return error
  }
}

extension Array where Element == UInt8 {
  init(ascii text: String) { self = Array(text.utf8) }
}
