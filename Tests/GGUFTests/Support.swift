// Helpers the GGUF tests share: fixture paths, the recorded float32 files, bit-exact comparison
// with a readable first difference, and a small GGUF writer for hand-made malformed files.
import Foundation
import GGUF
import Testing

enum Fixtures {
  static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("Fixtures")

  static func path(_ relative: String) -> String { directory.appendingPathComponent(relative).path }

  static func bytes(_ relative: String) throws -> [UInt8] {
    Array(try Data(contentsOf: directory.appendingPathComponent(relative)))
  }

  /// A raw little-endian float32 file (what make_gguf_fixtures.py writes).
  static func floats(atPath path: String) throws -> [Float] {
    let data = try Data(contentsOf: URL(fileURLWithPath: path))
    return data.withUnsafeBytes { raw in
      (0..<(raw.count / 4)).map {
        Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 * $0, as: UInt32.self)))
      }
    }
  }

  static func floats(_ relative: String) throws -> [Float] { try floats(atPath: path(relative)) }
}

/// Expects `actual` to equal `expected` bit for bit (NaN payloads included); on failure names the
/// first differing index with both values and bit patterns, and how many differ.
func expectSameBits(
  _ actual: [Float], _ expected: [Float], _ what: String, sourceLocation: SourceLocation = #_sourceLocation
) {
  guard actual.count == expected.count else {
    Issue.record(
      Comment(rawValue: "\(what): \(actual.count) values, expected \(expected.count)"),
      sourceLocation: sourceLocation)
    return
  }
  let differing = actual.indices.filter { actual[$0].bitPattern != expected[$0].bitPattern }
  if let first = differing.first {
    let (a, e) = (actual[first], expected[first])
    let message =
      "\(what): \(differing.count) of \(actual.count) values differ; first at \(first): \(a) "
      + "(0x\(String(a.bitPattern, radix: 16))) vs expected \(e) (0x\(String(e.bitPattern, radix: 16)))"
    Issue.record(Comment(rawValue: message), sourceLocation: sourceLocation)
  }
}

/// The one line a GGUF error gives, or nil if `body` did not throw a GGUFError.
func ggufError<T>(_ body: () throws -> T) -> String? {
  do {
    _ = try body()
    return nil
  } catch let error as GGUFError {
    return error.description
  } catch {
    return "unexpected error type: \(error)"
  }
}

/// Builds GGUF bytes by hand, little-endian, so tests can write exactly the malformed field they need.
struct GGUFBuilder {
  var bytes: [UInt8] = []

  mutating func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { bytes += $0 } }
  mutating func u64(_ v: UInt64) { withUnsafeBytes(of: v.littleEndian) { bytes += $0 } }
  mutating func string(_ s: String) {
    u64(UInt64(s.utf8.count))
    bytes += Array(s.utf8)
  }
  mutating func header(version: UInt32 = 3, tensors: UInt64, pairs: UInt64) {
    bytes += Array("GGUF".utf8)
    u32(version)
    u64(tensors)
    u64(pairs)
  }
  /// A key with a u32 value.
  mutating func pair(_ key: String, u32 value: UInt32) {
    string(key)
    u32(4)
    u32(value)
  }
  mutating func tensor(_ name: String, dims: [UInt64], type: UInt32 = 0, offset: UInt64) {
    string(name)
    u32(UInt32(dims.count))
    for d in dims { u64(d) }
    u32(type)
    u64(offset)
  }
  mutating func pad(to alignment: Int = 32) {
    while bytes.count % alignment != 0 { bytes.append(0) }
  }
  mutating func zeros(_ n: Int) { bytes += [UInt8](repeating: 0, count: n) }
}
