// Writer → reader round trips, decoding of every dtype, accessors and file I/O.

import Foundation
import Testing

@testable import Safetensors

@Suite("Round trips and decoding")
struct ReadWriteTests {
  @Test func roundTripF32I64MetadataScalarAndZeroSize() throws {
    var writer = SafetensorsWriter(metadata: ["format": "attnscope", "é": "\u{1B}[31m"])
    try writer.add(
      "encoder.w", shape: [2, 3], floats: [1, -2, 3.25, .infinity, -0.0, .leastNonzeroMagnitude])
    try writer.add("ids", shape: [4], int64s: [0, -1, .max, .min])
    try writer.add("scale", shape: [], floats: [0.125])
    try writer.add("empty", shape: [0, 7], floats: [])
    try writer.add("steps", shape: [], int64s: [42])
    let bytes = writer.serialize()

    let file = try SafetensorsFile(bytes: bytes, fileName: "rt.safetensors")
    #expect(file.metadata == ["format": "attnscope", "é": "\u{1B}[31m"])
    #expect(file.tensorsInOrder.map(\.name) == ["encoder.w", "ids", "scale", "empty", "steps"])
    #expect(
      try file.info("encoder.w")
        == SafetensorsTensorInfo(name: "encoder.w", dtype: .f32, shape: [2, 3], dataRange: 0..<24))
    let w = try file.floats("encoder.w")
    #expect(
      w.map(\.bitPattern)
        == [1, -2, 3.25, .infinity, -0.0, .leastNonzeroMagnitude].map {
          (value: Float) in value.bitPattern
        })
    #expect(try file.integers("ids") == [0, -1, .max, .min])
    #expect(try file.floats("scale") == [0.125])
    #expect(try file.info("scale").shape == [])
    #expect(try file.floats("empty") == [])
    #expect(try file.info("empty").dataRange == 60..<60)
    #expect(try file.integers("steps") == [42])
    #expect(file.headerLength % 8 == 0)
  }

  @Test func serializationIsDeterministic() throws {
    func build(_ order: [Int]) throws -> [UInt8] {
      var writer = SafetensorsWriter(metadata: ["b": "2", "a": "1", "c": "3"])
      for index in order {
        try writer.add("t\(index)", shape: [1], floats: [Float(index)])
      }
      return writer.serialize()
    }
    #expect(try build([0, 1, 2]) == build([0, 1, 2]))
    let bytes = try build([2, 0, 1])
    let header = String(decoding: bytes[8..<(8 + Int(bytes[0]))], as: UTF8.self)
    #expect(
      header.hasPrefix(
        #"{"__metadata__":{"a":"1","b":"2","c":"3"},"t0":{"dtype":"F32","shape":[1],"#))
    // Data follows insertion order; header keys are sorted.
    let file = try SafetensorsFile(bytes: bytes, fileName: "d")
    #expect(file.tensorsInOrder.map(\.name) == ["t2", "t0", "t1"])
  }

  @Test func handBuiltHeaderEveryByte() throws {
    var writer = SafetensorsWriter(metadata: ["k": "v"])
    try writer.add("b", shape: [2], floats: [1.0, -2.0])
    try writer.add("a", shape: [], int64s: [7])
    let header =
      #"{"__metadata__":{"k":"v"},"a":{"dtype":"I64","shape":[],"data_offsets":[8,16]},"#
      + #""b":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"# + "    "
    let expected: [UInt8] =
      [0x88, 0, 0, 0, 0, 0, 0, 0] + Array(header.utf8)
      + [0x00, 0x00, 0x80, 0x3F, 0x00, 0x00, 0x00, 0xC0]  // b: 1.0, -2.0
      + [0x07, 0, 0, 0, 0, 0, 0, 0]  // a: 7
    let actual = writer.serialize()
    #expect(actual.count == expected.count)
    for (index, (a, e)) in zip(actual, expected).enumerated() where a != e {
      Issue.record("byte \(index): 0x\(String(a, radix: 16)) ≠ expected 0x\(String(e, radix: 16))")
    }

    let file = try SafetensorsFile(bytes: expected, fileName: "hand.safetensors")
    #expect(file.headerLength == 136)
    #expect(file.metadata == ["k": "v"])
    #expect(
      file.tensorsInOrder == [
        SafetensorsTensorInfo(name: "b", dtype: .f32, shape: [2], dataRange: 0..<8),
        SafetensorsTensorInfo(name: "a", dtype: .i64, shape: [], dataRange: 8..<16),
      ])
    #expect(try file.rawBytes("a") == [7, 0, 0, 0, 0, 0, 0, 0])
  }

  @Test func f16Decoding() throws {
    let cases: [(UInt16, Float)] = [
      (0x3C00, 1.0), (0xC100, -2.5), (0x7BFF, 65504), (0x0001, 0x1p-24), (0x03FF, 1023 * 0x1p-24),
      (0x0400, 0x1p-14), (0x8000, -0.0), (0x7C00, .infinity), (0xFC00, -.infinity),
      (0x3555, 0.333251953125),
    ]
    let values = try decodeFloats(dtype: "F16", cases.map { littleEndianBytes($0.0) })
    for ((bits, expected), value) in zip(cases, values) {
      #expect(value.bitPattern == expected.bitPattern, "F16 0x\(String(bits, radix: 16))")
    }
    let nan = try decodeFloats(dtype: "F16", [littleEndianBytes(UInt16(0x7E00))])
    #expect(nan[0].isNaN)
  }

  @Test func bf16Decoding() throws {
    let cases: [(UInt16, Float)] = [
      (0x3F80, 1.0), (0xC020, -2.5), (0x477F, 65280), (0x4780, 65536),
      (0x7F7F, 3.3895314e38), (0x0001, Float(bitPattern: 0x0001_0000)), (0x8000, -0.0),
      (0x7F80, .infinity), (0xFF80, -.infinity),
    ]
    let values = try decodeFloats(dtype: "BF16", cases.map { littleEndianBytes($0.0) })
    for ((bits, expected), value) in zip(cases, values) {
      #expect(value.bitPattern == expected.bitPattern, "BF16 0x\(String(bits, radix: 16))")
    }
    #expect(Float(bitPattern: 0x0001_0000) == 0x1p-133)
    let nan = try decodeFloats(dtype: "BF16", [littleEndianBytes(UInt16(0x7FC0))])
    #expect(nan[0].isNaN)
  }

  @Test func f64Decoding() throws {
    let doubles: [Double] = [1, -2.5, 65504, 1e300, 0.1]
    let values = try decodeFloats(dtype: "F64", doubles.map { littleEndianBytes($0.bitPattern) })
    #expect(values == [1, -2.5, 65504, .infinity, Float(0.1)])
  }

  @Test func integerDtypes() throws {
    func decode(_ dtype: String, _ elements: [[UInt8]]) throws -> [Int] {
      let data = elements.flatMap { $0 }
      let header = "{" + entry("t", dtype, [elements.count], 0, data.count) + "}"
      return try SafetensorsFile(bytes: makeFile(header: header, data: data), fileName: "i")
        .integers("t")
    }
    #expect(try decode("I8", [[0x80], [0x7F], [0xFF]]) == [-128, 127, -1])
    #expect(try decode("U8", [[0x80], [0xFF]]) == [128, 255])
    #expect(
      try decode("I16", [littleEndianBytes(Int16.min), littleEndianBytes(Int16(-2))]) == [
        -32768, -2,
      ])
    #expect(try decode("U16", [littleEndianBytes(UInt16.max)]) == [65535])
    #expect(try decode("I32", [littleEndianBytes(Int32.min)]) == [Int(Int32.min)])
    #expect(try decode("U32", [littleEndianBytes(UInt32.max)]) == [Int(UInt32.max)])
    #expect(try decode("I64", [littleEndianBytes(Int64.min)]) == [Int.min])
    #expect(try decode("U64", [littleEndianBytes(UInt64(Int.max))]) == [Int.max])
    #expect(try decode("BOOL", [[0], [1], [1]]) == [0, 1, 1])

    let overflow = #expect(throws: SafetensorsError.self) {
      try decode("U64", [littleEndianBytes(UInt64(0)), littleEndianBytes(UInt64.max)])
    }
    #expect(
      overflow?.description
        == "i: tensor 't': U64 value 18446744073709551615 at index 1 overflows Int")
    let badBool = #expect(throws: SafetensorsError.self) { try decode("BOOL", [[0], [2]]) }
    #expect(badBool?.description == "i: tensor 't': BOOL byte 0x2 at index 1 is not 0 or 1")
  }

  @Test func wrongDtypeForAccessor() throws {
    let header =
      "{" + entry("f", "F32", [1], 0, 4) + "," + entry("q", "F8_E4M3", [1], 4, 5) + ","
      + entry("i", "I32", [1], 5, 9) + "}"
    let file = try SafetensorsFile(
      bytes: makeFile(header: header, data: [UInt8](repeating: 0, count: 9)), fileName: "m")
    let asInts = #expect(throws: SafetensorsError.self) { try file.integers("f") }
    #expect(
      asInts?.description
        == "m: tensor 'f': dtype F32 cannot be read as integers (integer dtypes and BOOL only)")
    let asFloats = #expect(throws: SafetensorsError.self) { try file.floats("q") }
    #expect(
      asFloats?.description
        == "m: tensor 'q': dtype F8_E4M3 cannot be read as floats (F32, F16, BF16, F64 only)")
    #expect(throws: SafetensorsError.self) { try file.floats("i") }
  }

  @Test func missingTensor() throws {
    let file = try SafetensorsFile(
      bytes: makeFile(header: "{" + entry("w", "F32", [1], 0, 4) + "}", data: [0, 0, 0, 0]),
      fileName: "model.safetensors")
    #expect(file.contains("w"))
    #expect(!file.contains("x"))
    let expected = SafetensorsError(file: "model.safetensors", problem: "missing tensor 'x'")
    #expect(expected.description == "model.safetensors: missing tensor 'x'")
    #expect(throws: expected) { try file.info("x") }
    #expect(throws: expected) { try file.floats("x") }
    #expect(throws: expected) { try file.integers("x") }
    #expect(throws: expected) { try file.rawBytes("x") }
  }

  @Test func writerRejectsBadInput() throws {
    var writer = SafetensorsWriter()
    try writer.add("w", shape: [2], floats: [1, 2])
    func expectFailure(
      _ expected: String, sourceLocation: SourceLocation = #_sourceLocation,
      _ action: (inout SafetensorsWriter) throws -> Void
    ) {
      var copy = writer
      let error = #expect(throws: SafetensorsError.self, sourceLocation: sourceLocation) {
        try action(&copy)
      }
      #expect(error?.description == expected, sourceLocation: sourceLocation)
    }
    expectFailure("safetensors writer: tensor 'w': duplicate tensor name") {
      try $0.add("w", shape: [1], floats: [1])
    }
    expectFailure("safetensors writer: tensor 'v': 3 values for shape [2, 2] (4 elements)") {
      try $0.add("v", shape: [2, 2], floats: [1, 2, 3])
    }
    expectFailure("safetensors writer: tensor 'v': negative dimension in shape [-1]") {
      try $0.add("v", shape: [-1], int64s: [])
    }
    expectFailure(
      "safetensors writer: tensor '__metadata__': the name '__metadata__' is reserved"
    ) {
      try $0.add("__metadata__", shape: [], int64s: [1])
    }
    expectFailure(
      "safetensors writer: tensor 'v': shape [4294967296, 4294967296] element count overflows Int"
    ) {
      try $0.add("v", shape: [1 << 32, 1 << 32], floats: [])
    }
    // Failed adds leave the writer usable and unchanged.
    #expect(try SafetensorsFile(bytes: writer.serialize(), fileName: "w").tensorsInOrder.count == 1)
  }

  @Test func emptyWriter() throws {
    let bytes = SafetensorsWriter().serialize()
    #expect(bytes == [8, 0, 0, 0, 0, 0, 0, 0] + Array("{}      ".utf8))
    #expect(try SafetensorsFile(bytes: bytes, fileName: "e").tensorsInOrder.isEmpty)
  }

  @Test func writeAndLoadThroughTheFileSystem() throws {
    let directory = FileManager.default.temporaryDirectory
      .appendingPathComponent("safetensors-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let path = directory.appendingPathComponent("weights.safetensors").path

    var writer = SafetensorsWriter(metadata: ["m": "1"])
    try writer.add("w", shape: [3], floats: [1, 2, 3])
    try writer.write(toPath: path)
    let file = try SafetensorsFile.load(path: path)
    #expect(file.fileName == "weights.safetensors")
    #expect(file.metadata == ["m": "1"])
    #expect(try file.floats("w") == [1, 2, 3])
    #expect(
      try FileManager.default.contentsOfDirectory(atPath: directory.path) == [
        "weights.safetensors"
      ])

    let missing = #expect(throws: SafetensorsError.self) {
      try SafetensorsFile.load(path: directory.path + "/nope/model.safetensors")
    }
    #expect(
      missing?.description
        == "model.safetensors: cannot read '\(directory.path)/nope/model.safetensors': "
        + "No such file or directory")
    let notFile = #expect(throws: SafetensorsError.self) {
      try SafetensorsFile.load(path: directory.path)
    }
    #expect(notFile?.description.hasSuffix("not a regular file") == true)
    #expect(notFile?.file == directory.lastPathComponent)
    let unwritable = #expect(throws: SafetensorsError.self) {
      try writer.write(toPath: directory.path + "/nope/out.safetensors")
    }
    #expect(unwritable?.description.hasPrefix("out.safetensors: cannot write '") == true)

    // Corrupt on disk: the error names the file.
    try Data([1, 2, 3]).write(to: URL(fileURLWithPath: path))
    let corrupt = #expect(throws: SafetensorsError.self) { try SafetensorsFile.load(path: path) }
    #expect(
      corrupt?.description
        == "weights.safetensors: file is 3 bytes, too short for the 8-byte header length")
  }

  @Test func errorDescriptionEscapesControlCharacters() throws {
    let error = SafetensorsError(
      file: "evil\u{1B}]0;x\u{07}.safetensors", tensor: "a\u{1B}[2Jb\nc\u{9B}d\u{2028}",
      problem: "bad\rthing\u{7F}")
    #expect(
      error.description
        == #"evil\u{1B}]0;x\u{07}.safetensors: tensor 'a\u{1B}[2Jb\u{0A}c\u{9B}d\u{2028}': "#
        + #"bad\u{0D}thing\u{7F}"#)

    // A hostile tensor name from a real header comes out escaped too.
    let header = "{" + entry(#"x\u001b[31m"#, "F32", [2], 0, 4) + "}"
    let parsed = rejection(makeFile(header: header, data: [0, 0, 0, 0]))
    #expect(parsed?.tensor == "x\u{1B}[31m")
    #expect(
      parsed?.description
        == #"model.safetensors: tensor 'x\u{1B}[31m': byte length 4 ≠ shape [2] × F32 (8)"#)

    let long = SafetensorsError(file: "f", tensor: String(repeating: "n", count: 500), problem: "p")
    #expect(long.description == "f: tensor '" + String(repeating: "n", count: 200) + "…': p")
  }

  @Test func dtypeByteSizes() {
    let sizes = Dictionary(
      uniqueKeysWithValues: SafetensorsDType.allCases.map { ($0.rawValue, $0.byteSize) })
    #expect(
      sizes == [
        "BOOL": 1, "U8": 1, "I8": 1, "F8_E5M2": 1, "F8_E4M3": 1, "I16": 2, "U16": 2, "F16": 2,
        "BF16": 2, "I32": 4, "U32": 4, "F32": 4, "F64": 8, "I64": 8, "U64": 8,
      ])
  }
}

/// Decodes one tensor of `dtype` whose elements are the given byte groups.
private func decodeFloats(dtype: String, _ elements: [[UInt8]]) throws -> [Float] {
  let data = elements.flatMap { $0 }
  let header = "{" + entry("t", dtype, [elements.count], 0, data.count) + "}"
  return try SafetensorsFile(bytes: makeFile(header: header, data: data), fileName: "f").floats("t")
}
