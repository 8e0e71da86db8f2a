// Property-style checks: damaged files never crash the reader; each parses or throws
// SafetensorsError.

import Testing

@testable import Safetensors

@Suite("Robustness")
struct RobustnessTests {
  static let validFile: [UInt8] = {
    var writer = SafetensorsWriter(metadata: ["format": "pt", "note": "ünïcode"])
    try! writer.add("encoder.layers.0.w", shape: [2, 3], floats: [1, -2, 3, 0.5, -0.25, 1e-3])
    try! writer.add("ids", shape: [2], int64s: [5, -6])
    try! writer.add("scale", shape: [], floats: [2])
    try! writer.add("empty", shape: [0], floats: [])
    return writer.serialize()
  }()

  /// Parses `bytes`; when it is accepted, reads every tensor and checks the layout invariants.
  private func exercise(_ bytes: [UInt8]) -> Bool {
    let file: SafetensorsFile
    do {
      file = try SafetensorsFile(bytes: bytes, fileName: "fuzz")
    } catch {
      #expect(!error.description.isEmpty && !error.description.contains("\n"))
      return false
    }
    var end = 0
    for info in file.tensorsInOrder {
      #expect(info.dataRange.lowerBound == end)
      #expect(info.dataRange.count == info.elementCount * info.dtype.byteSize)
      end = info.dataRange.upperBound
      _ = try? file.floats(info.name)
      _ = try? file.integers(info.name)
      _ = try? file.rawBytes(info.name)
    }
    #expect(8 + file.headerLength + end == bytes.count)
    return true
  }

  @Test func validFileParses() {
    #expect(exercise(Self.validFile))
  }

  @Test func everyTruncationIsRejected() {
    let bytes = Self.validFile
    for length in 0..<bytes.count {
      #expect(!exercise(Array(bytes[0..<length])), "prefix of \(length) bytes accepted")
    }
    #expect(!exercise(bytes + [0]))
  }

  @Test func singleByteFlipsNeverCrash() {
    let original = Self.validFile
    var accepted = 0
    for index in original.indices {
      for mask: UInt8 in [0x01, 0x02, 0x04, 0x08, 0x10, 0x20, 0x40, 0x80, 0xFF] {
        var bytes = original
        bytes[index] ^= mask
        if exercise(bytes) { accepted += 1 }
      }
    }
    // Flips inside the data buffer (and a few harmless header ones) stay valid.
    #expect(accepted >= 9 * 44)
  }

  @Test func randomMultiByteDamageNeverCrashes() {
    var state: UInt64 = 0x5EED
    func next() -> UInt64 {
      state &+= 0x9E37_79B9_7F4A_7C15
      var z = state
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      return z ^ (z >> 31)
    }
    let original = Self.validFile
    let interesting = Array("{}[]\",:0123456789-.eE \\u\u{00}".utf8) + [0x80, 0xC3, 0xED, 0xFF]
    for _ in 0..<1500 {
      var bytes = original
      for _ in 0..<(1 + Int(next() % 4)) {
        let index = Int(next() % UInt64(bytes.count))
        switch next() % 4 {
        case 0: bytes[index] = UInt8(truncatingIfNeeded: next())
        case 1: bytes[index] = interesting[Int(next() % UInt64(interesting.count))]
        case 2: bytes.remove(at: index)
        default: bytes.insert(interesting[Int(next() % UInt64(interesting.count))], at: index)
        }
        if bytes.isEmpty { break }
      }
      _ = exercise(bytes)
    }
  }

  @Test func lengthFieldExtremes() {
    let body = Array(Self.validFile[8...])
    for length: UInt64 in [
      0, 1, 7, UInt64(body.count), UInt64(body.count) + 1, 1 << 31, 1 << 32,
      1 << 63, .max - 7, .max,
    ] {
      #expect(!exercise(makeFile(headerBytes: body, declaredLength: length)))
    }
  }
}
