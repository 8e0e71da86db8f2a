// A minimal protocol-buffers wire-format reader (varints, fixed32/64, length-delimited fields),
// enough to read SentencePiece's ModelProto (google/sentencepiece src/sentencepiece_model.proto;
// encoding per protobuf.dev/programming-guides/encoding). Every read is bounds-checked.

struct ProtobufReader {
  enum WireType: Int {
    case varint = 0
    case fixed64 = 1
    case lengthDelimited = 2
    case fixed32 = 5
  }

  struct Failure: Error {
    let reason: String
  }

  private let bytes: ArraySlice<UInt8>
  private var index: Int

  init(_ bytes: ArraySlice<UInt8>) {
    self.bytes = bytes
    self.index = bytes.startIndex
  }

  var isAtEnd: Bool { index >= bytes.endIndex }

  mutating func varint() throws(Failure) -> UInt64 {
    var value: UInt64 = 0
    for shift in stride(from: 0, to: 70, by: 7) {
      guard index < bytes.endIndex else { throw Failure(reason: "truncated varint") }
      let byte = bytes[index]
      index += 1
      if shift == 63 && byte > 1 { throw Failure(reason: "varint overflows 64 bits") }
      value |= UInt64(byte & 0x7F) << UInt64(shift)
      if byte & 0x80 == 0 { return value }
    }
    throw Failure(reason: "varint longer than 10 bytes")
  }

  /// The next field's number and wire type; groups (types 3, 4) are refused.
  mutating func fieldHeader() throws(Failure) -> (field: Int, type: WireType) {
    let key = try varint()
    guard let type = WireType(rawValue: Int(key & 7)) else {
      throw Failure(reason: "unsupported wire type \(key & 7)")
    }
    let field = key >> 3
    guard field > 0, field < 1 << 29 else { throw Failure(reason: "bad field number") }
    return (Int(field), type)
  }

  mutating func fixed32() throws(Failure) -> UInt32 {
    guard bytes.endIndex - index >= 4 else { throw Failure(reason: "truncated fixed32") }
    var value: UInt32 = 0
    for k in 0..<4 { value |= UInt32(bytes[index + k]) << UInt32(8 * k) }
    index += 4
    return value
  }

  mutating func lengthDelimited() throws(Failure) -> ArraySlice<UInt8> {
    let length = try varint()
    guard length <= UInt64(bytes.endIndex - index) else {
      throw Failure(reason: "field of \(length) bytes runs past the end")
    }
    let slice = bytes[index..<(index + Int(length))]
    index += Int(length)
    return slice
  }

  mutating func skip(_ type: WireType) throws(Failure) {
    switch type {
    case .varint: _ = try varint()
    case .fixed64:
      guard bytes.endIndex - index >= 8 else { throw Failure(reason: "truncated fixed64") }
      index += 8
    case .fixed32: _ = try fixed32()
    case .lengthDelimited: _ = try lengthDelimited()
    }
  }
}
