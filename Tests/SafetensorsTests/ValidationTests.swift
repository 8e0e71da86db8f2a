// One test per row of the validation checklist: each rejection asserts the exact one-line message.

import Testing

@testable import Safetensors

@Suite("Header length")
struct HeaderLengthTests {
  @Test func fewerThanEightBytes() {
    expectRejection(
      [], "model.safetensors: file is 0 bytes, too short for the 8-byte header length")
    expectRejection(
      [2, 0, 0, 0, 0, 0, 0],
      "model.safetensors: file is 7 bytes, too short for the 8-byte header length")
  }

  @Test func headerLengthOverLimit() {
    expectRejection(
      makeFile(header: "{}", declaredLength: 100_000_001),
      "model.safetensors: header length 100000001 exceeds the 100000000-byte limit")
    expectRejection(
      makeFile(header: "{}", declaredLength: UInt64.max),
      "model.safetensors: header length 18446744073709551615 exceeds the 100000000-byte limit")
  }

  @Test func headerLengthPastEndOfFile() {
    expectRejection(
      makeFile(header: "{}", declaredLength: 3),
      "model.safetensors: header length 3 runs past the end of the file (8 + 3 > 10 bytes)")
    expectRejection(
      makeFile(header: "", declaredLength: 100_000_000),
      "model.safetensors: header length 100000000 runs past the end of the file "
        + "(8 + 100000000 > 8 bytes)")
  }
}

@Suite("Header JSON")
struct HeaderJSONTests {
  @Test func headerNotUTF8() {
    expectRejection(
      makeFile(headerBytes: Array("{\"a".utf8) + [0xFF] + Array("\":{}}".utf8)),
      "model.safetensors: header is not valid UTF-8 (header byte 3)")
    // An overlong encoding of '{' is not UTF-8 either.
    expectRejection(
      makeFile(headerBytes: [0xC1, 0xBB, 0x7D]),
      "model.safetensors: header is not valid UTF-8 (header byte 0)")
  }

  @Test func headerNotJSON() {
    expectRejection(
      makeFile(header: "{'a': 1}"),
      "model.safetensors: header is not valid JSON: expected a string key at header byte 1")
    expectRejection(
      makeFile(header: "{} x"),
      "model.safetensors: header is not valid JSON: trailing characters after the JSON value "
        + "at header byte 3")
    expectRejection(
      makeFile(header: ""),
      "model.safetensors: header is not valid JSON: unexpected end of input at header byte 0")
  }

  @Test func headerIsArrayNotObject() {
    expectRejection(
      makeFile(header: "[]"), "model.safetensors: header is not a JSON object (found array)")
    expectRejection(
      makeFile(header: "\"x\"    "),
      "model.safetensors: header is not a JSON object (found string)")
  }

  @Test func headerTruncated() {
    let header = "{" + entry("a", "F32", [1], 0, 4) + "}"
    let cut = String(header.dropLast(3))
    expectRejection(
      makeFile(header: cut, data: [0, 0, 0, 0]),
      "model.safetensors: header is not valid JSON: unexpected end of input at header byte 51")
  }

  @Test func entryMissingDtype() {
    expectRejection(
      makeFile(header: #"{"w":{"shape":[1],"data_offsets":[0,4]}}"#, data: [0, 0, 0, 0]),
      "model.safetensors: tensor 'w': missing 'dtype'")
  }

  @Test func entryMissingShape() {
    expectRejection(
      makeFile(header: #"{"w":{"dtype":"F32","data_offsets":[0,4]}}"#, data: [0, 0, 0, 0]),
      "model.safetensors: tensor 'w': missing 'shape'")
  }

  @Test func entryMissingDataOffsets() {
    expectRejection(
      makeFile(header: #"{"w":{"dtype":"F32","shape":[1]}}"#, data: [0, 0, 0, 0]),
      "model.safetensors: tensor 'w': missing 'data_offsets'")
  }

  @Test func entryWithWrongTypes() {
    let cases: [(String, String)] = [
      (#"{"w":[1]}"#, "entry must be a JSON object, found array"),
      (
        #"{"w":{"dtype":32,"shape":[1],"data_offsets":[0,4]}}"#,
        "dtype must be a string, found number"
      ),
      (
        #"{"w":{"dtype":"F32","shape":"1","data_offsets":[0,4]}}"#,
        "shape must be an array, found string"
      ),
      (
        #"{"w":{"dtype":"F32","shape":[[1]],"data_offsets":[0,4]}}"#,
        "shape entries must be integers, found array"
      ),
      (
        #"{"w":{"dtype":"F32","shape":[1],"data_offsets":{"b":0}}}"#,
        "data_offsets must be an array, found object"
      ),
      (
        #"{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4,8]}}"#,
        "data_offsets must have 2 entries, found 3"
      ),
      (
        #"{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,null]}}"#,
        "data_offsets entries must be integers, found null"
      ),
      (
        #"{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4],"extra":true}}"#,
        "unexpected key 'extra' (only dtype, shape, data_offsets)"
      ),
      (
        #"{"w":{"dtype":"F32","dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#,
        "duplicate key 'dtype'"
      ),
    ]
    for (header, problem) in cases {
      expectRejection(
        makeFile(header: header, data: [0, 0, 0, 0]), "model.safetensors: tensor 'w': " + problem)
    }
  }

  @Test func unknownDtype() {
    expectRejection(
      makeFile(header: "{" + entry("w", "F17", [1], 0, 4) + "}", data: [0, 0, 0, 0]),
      "model.safetensors: tensor 'w': unknown dtype 'F17'")
    // Dtype names are case-sensitive.
    expectRejection(
      makeFile(header: "{" + entry("w", "f32", [1], 0, 4) + "}", data: [0, 0, 0, 0]),
      "model.safetensors: tensor 'w': unknown dtype 'f32'")
  }

  @Test func negativeOffset() {
    expectRejection(
      makeFile(header: #"{"w":{"dtype":"F32","shape":[1],"data_offsets":[-4,0]}}"#),
      "model.safetensors: tensor 'w': data_offsets entry -4 is negative")
    expectRejection(
      makeFile(header: #"{"w":{"dtype":"F32","shape":[0],"data_offsets":[-0,0]}}"#),
      "model.safetensors: tensor 'w': data_offsets entry -0 is negative")
  }

  @Test func fractionalOffset() {
    expectRejection(
      makeFile(
        header: #"{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4.0]}}"#, data: [0, 0, 0, 0]),
      "model.safetensors: tensor 'w': data_offsets entry 4.0 is not an integer")
  }

  @Test func nonIntegerOffset() {
    expectRejection(
      makeFile(
        header: #"{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4e0]}}"#, data: [0, 0, 0, 0]),
      "model.safetensors: tensor 'w': data_offsets entry 4e0 is not an integer")
    expectRejection(
      makeFile(
        header: #"{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,"4"]}}"#, data: [0, 0, 0, 0]),
      "model.safetensors: tensor 'w': data_offsets entries must be integers, found string")
    expectRejection(
      makeFile(
        header: #"{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,99999999999999999999]}}"#),
      "model.safetensors: tensor 'w': data_offsets entry 99999999999999999999 is too large")
  }

  @Test func negativeShapeEntry() {
    expectRejection(
      makeFile(header: "{" + entry("w", "F32", [2, -1], 0, 0) + "}"),
      "model.safetensors: tensor 'w': shape entry -1 is negative")
  }

  @Test func fractionalShapeEntry() {
    expectRejection(
      makeFile(
        header: #"{"w":{"dtype":"F32","shape":[1.5],"data_offsets":[0,4]}}"#, data: [0, 0, 0, 0]),
      "model.safetensors: tensor 'w': shape entry 1.5 is not an integer")
    expectRejection(
      makeFile(
        header: #"{"w":{"dtype":"F32","shape":[true],"data_offsets":[0,4]}}"#, data: [0, 0, 0, 0]),
      "model.safetensors: tensor 'w': shape entries must be integers, found bool")
  }

  @Test func metadataNotAnObject() {
    expectRejection(
      makeFile(header: #"{"__metadata__":["a","b"]}"#),
      "model.safetensors: __metadata__ must be a JSON object, found array")
    expectRejection(
      makeFile(header: #"{"__metadata__":null}"#),
      "model.safetensors: __metadata__ must be a JSON object, found null")
  }

  @Test func metadataWithNonStringValues() {
    expectRejection(
      makeFile(header: #"{"__metadata__":{"format":"pt","epoch":3}}"#),
      "model.safetensors: __metadata__ value for 'epoch' must be a string, found number")
    expectRejection(
      makeFile(header: #"{"__metadata__":{"a":"1","a":"2"}}"#),
      "model.safetensors: __metadata__ has duplicate key 'a'")
    expectRejection(
      makeFile(header: #"{"__metadata__":{},"__metadata__":{}}"#),
      "model.safetensors: duplicate key '__metadata__'")
  }
}

@Suite("Offsets and sizes")
struct OffsetTests {
  @Test func firstTensorNotAtZero() {
    expectRejection(
      makeFile(
        header: "{" + entry("w", "F32", [1], 4, 8) + "}", data: [UInt8](repeating: 0, count: 8)),
      "model.safetensors: tensor 'w': invalid offset: data_offsets [4, 8] leaves a hole after the "
        + "data buffer start (byte 0)")
  }

  @Test func holeBetweenTensors() {
    let header = "{" + entry("a", "F32", [1], 0, 4) + "," + entry("b", "F32", [1], 8, 12) + "}"
    expectRejection(
      makeFile(header: header, data: [UInt8](repeating: 0, count: 12)),
      "model.safetensors: tensor 'b': invalid offset: data_offsets [8, 12] leaves a hole after the "
        + "end of tensor 'a' (byte 4)")
  }

  @Test func overlappingTensors() {
    let header = "{" + entry("b", "F32", [2], 4, 12) + "," + entry("a", "F32", [2], 0, 8) + "}"
    expectRejection(
      makeFile(header: header, data: [UInt8](repeating: 0, count: 12)),
      "model.safetensors: tensor 'b': invalid offset: data_offsets [4, 12] overlaps the end of "
        + "tensor 'a' (byte 8)")
    // Two tensors on the same bytes.
    let same = "{" + entry("x", "F32", [1], 0, 4) + "," + entry("y", "F32", [1], 0, 4) + "}"
    expectRejection(
      makeFile(header: same, data: [UInt8](repeating: 0, count: 4)),
      "model.safetensors: tensor 'y': invalid offset: data_offsets [0, 4] overlaps the end of "
        + "tensor 'x' (byte 4)")
  }

  @Test func byteLengthMismatch() {
    let header = "{" + entry("encoder.x", "F32", [2, 2], 0, 12) + "}"
    expectRejection(
      makeFile(header: header, data: [UInt8](repeating: 0, count: 12)),
      "model.safetensors: tensor 'encoder.x': byte length 12 ≠ shape [2, 2] × F32 (16)")
    expectRejection(
      makeFile(header: "{" + entry("w", "F32", [1], 4, 0) + "}"),
      "model.safetensors: tensor 'w': data_offsets [4, 0]: end before begin")
  }

  @Test func shapeProductOverflow() {
    let big = 1 << 40
    expectRejection(
      makeFile(header: "{" + entry("w", "U8", [big, big], 0, 0) + "}"),
      "model.safetensors: tensor 'w': shape [\(big), \(big)] element count overflows Int")
    expectRejection(
      makeFile(header: "{" + entry("w", "F64", [1 << 61], 0, 0) + "}"),
      "model.safetensors: tensor 'w': shape [\(1 << 61)] × F64 byte size overflows Int")
  }

  @Test func zeroDimensionBeatsHugeFactors() throws {
    // A zero anywhere makes the product 0, whatever the order of the huge factors.
    let big = 1 << 40
    let file = try SafetensorsFile(
      bytes: makeFile(header: "{" + entry("w", "F64", [big, big, big, 0], 0, 0) + "}"),
      fileName: testFileName)
    #expect(try file.info("w").elementCount == 0)
    #expect(try file.floats("w") == [])
  }

  @Test func trailingBytesAfterData() {
    expectRejection(
      makeFile(header: "{" + entry("w", "F32", [1], 0, 4) + "}", data: [0, 0, 0, 0, 9, 9]),
      "model.safetensors: 2 trailing bytes after the last tensor's data (data buffer is 6 bytes, "
        + "tensors cover 4)")
    expectRejection(
      makeFile(header: "{}", data: [0]),
      "model.safetensors: 1 trailing bytes after the last tensor's data (data buffer is 1 bytes, "
        + "tensors cover 0)")
  }

  @Test func truncatedData() {
    let header = "{" + entry("a", "F32", [1], 0, 4) + "," + entry("b", "F32", [2], 4, 12) + "}"
    expectRejection(
      makeFile(header: header, data: [UInt8](repeating: 0, count: 10)),
      "model.safetensors: tensor 'b': file truncated: data ends at byte 12 of the data buffer, "
        + "which has only 10 bytes")
  }

  @Test func duplicateTensorNames() {
    let header = "{" + entry("w", "F32", [1], 0, 4) + "," + entry("w", "F32", [1], 4, 8) + "}"
    expectRejection(
      makeFile(header: header, data: [UInt8](repeating: 0, count: 8)),
      "model.safetensors: tensor 'w': duplicate tensor name")
  }
}

@Suite("Accepted edge cases")
struct AcceptedTests {
  @Test func spacesAroundJSON() throws {
    let header = " \t\r\n {" + entry("w", "F32", [1], 0, 4) + "}     "
    let file = try SafetensorsFile(
      bytes: makeFile(header: header, data: bytesOf(floats: [3.5])), fileName: testFileName)
    #expect(try file.floats("w") == [3.5])
    #expect(file.headerLength == header.utf8.count)
  }

  @Test func scalarShape() throws {
    let file = try SafetensorsFile(
      bytes: makeFile(header: "{" + entry("s", "F32", [], 0, 4) + "}", data: bytesOf(floats: [-1])),
      fileName: testFileName)
    let info = try file.info("s")
    #expect(info.shape == [])
    #expect(info.elementCount == 1)
    #expect(try file.floats("s") == [-1])
  }

  @Test func zeroSizeTensors() throws {
    // Several empty tensors share offsets with each other and with a real one; header order is
    // deliberately scrambled.
    let header =
      "{" + entry("full", "F32", [1], 0, 4) + "," + entry("e2", "I64", [3, 0], 4, 4) + ","
      + entry("e1", "F32", [0], 0, 0) + "," + entry("e0", "U8", [0, 5], 0, 0) + ","
      + entry("e3", "BF16", [0], 4, 4) + "}"
    let file = try SafetensorsFile(
      bytes: makeFile(header: header, data: bytesOf(floats: [2])), fileName: testFileName)
    #expect(file.tensorsInOrder.map(\.name) == ["e1", "e0", "full", "e2", "e3"])
    #expect(try file.floats("e1") == [])
    #expect(try file.integers("e2") == [])
    #expect(try file.info("e0").elementCount == 0)
    #expect(try file.floats("full") == [2])
  }

  @Test func emptyHeader() throws {
    let file = try SafetensorsFile(bytes: makeFile(header: "{}"), fileName: testFileName)
    #expect(file.tensorsInOrder.isEmpty)
    #expect(file.metadata.isEmpty)
    let padded = try SafetensorsFile(bytes: makeFile(header: "{}      "), fileName: testFileName)
    #expect(padded.tensorsInOrder.isEmpty)
  }

  @Test func metadataOnly() throws {
    let file = try SafetensorsFile(
      bytes: makeFile(header: #"{"__metadata__":{"format":"pt","note":"caf\u00e9"}}"#),
      fileName: testFileName)
    #expect(file.metadata == ["format": "pt", "note": "café"])
  }

  @Test func everyDtypeIsAccepted() throws {
    var header: [String] = []
    var offset = 0
    for dtype in SafetensorsDType.allCases {
      header.append(entry(dtype.rawValue, dtype.rawValue, [3], offset, offset + 3 * dtype.byteSize))
      offset += 3 * dtype.byteSize
    }
    let file = try SafetensorsFile(
      bytes: makeFile(
        header: "{" + header.joined(separator: ",") + "}",
        data: [UInt8](repeating: 0, count: offset)),
      fileName: testFileName)
    #expect(file.tensorsInOrder.map(\.dtype) == SafetensorsDType.allCases)
  }
}
