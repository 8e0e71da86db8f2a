import Testing

@testable import Safetensors

/// The file name every reader test uses in error messages.
let testFileName = "model.safetensors"

/// A file made of an explicit header length, header text and data bytes.
func makeFile(header: String, data: [UInt8] = [], declaredLength: UInt64? = nil) -> [UInt8] {
  let headerBytes = Array(header.utf8)
  return makeFile(headerBytes: headerBytes, data: data, declaredLength: declaredLength)
}

func makeFile(headerBytes: [UInt8], data: [UInt8] = [], declaredLength: UInt64? = nil) -> [UInt8] {
  let length = declaredLength ?? UInt64(headerBytes.count)
  var bytes: [UInt8] = (0..<8).map { UInt8(truncatingIfNeeded: length >> (8 * UInt64($0))) }
  bytes += headerBytes
  bytes += data
  return bytes
}

/// One header entry: `"name":{"dtype":...,"shape":[...],"data_offsets":[b,e]}`.
func entry(_ name: String, _ dtype: String, _ shape: [Int], _ begin: Int, _ end: Int) -> String {
  let shapeText = shape.map(String.init).joined(separator: ",")
  return "\"\(name)\":{\"dtype\":\"\(dtype)\",\"shape\":[\(shapeText)],"
    + "\"data_offsets\":[\(begin),\(end)]}"
}

/// Parses `bytes` expecting failure and returns the error (records an issue if it parsed).
func rejection(
  _ bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation
) -> SafetensorsError? {
  do {
    let file = try SafetensorsFile(bytes: bytes, fileName: testFileName)
    Issue.record(
      "expected a rejection, parsed \(file.tensorsInOrder.count) tensors",
      sourceLocation: sourceLocation)
    return nil
  } catch {
    return error
  }
}

/// Expects `bytes` to be rejected with exactly `description`.
func expectRejection(
  _ bytes: [UInt8], _ description: String, sourceLocation: SourceLocation = #_sourceLocation
) {
  guard let error = rejection(bytes, sourceLocation: sourceLocation) else { return }
  #expect(error.description == description, sourceLocation: sourceLocation)
  #expect(!error.description.contains("\n"), sourceLocation: sourceLocation)
}

/// Little-endian bytes of a fixed-width integer.
func littleEndianBytes<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
  (0..<MemoryLayout<T>.size).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) }
}

func bytesOf(floats: [Float]) -> [UInt8] { floats.flatMap { littleEndianBytes($0.bitPattern) } }
