// GGUF metadata values (ggml docs/gguf.md, `gguf_metadata_value_type`): twelve scalar types, UTF-8
// strings with a u64 length, and arrays (element type u32, count u64, elements) of any type,
// arrays of arrays included. Arrays stay in the file's bytes until asked for, so a 262,144-entry
// vocabulary is turned into Swift values once, by the caller that needs it.

/// The type tag of a metadata value, with gguf-py's ids.
public enum GGUFValueType: UInt32, Sendable, CaseIterable, CustomStringConvertible {
  case uint8 = 0, int8 = 1, uint16 = 2, int16 = 3, uint32 = 4, int32 = 5, float32 = 6, bool = 7
  case string = 8, array = 9, uint64 = 10, int64 = 11, float64 = 12

  /// Short names for messages: "u32", "f32", "string", "array".
  public var description: String {
    switch self {
    case .uint8: "u8"
    case .int8: "i8"
    case .uint16: "u16"
    case .int16: "i16"
    case .uint32: "u32"
    case .int32: "i32"
    case .float32: "f32"
    case .bool: "bool"
    case .string: "string"
    case .array: "array"
    case .uint64: "u64"
    case .int64: "i64"
    case .float64: "f64"
    }
  }

  /// Bytes of one value of a fixed-size type; nil for strings and arrays.
  var fixedSize: Int? {
    switch self {
    case .uint8, .int8, .bool: 1
    case .uint16, .int16: 2
    case .uint32, .int32, .float32: 4
    case .uint64, .int64, .float64: 8
    case .string, .array: nil
    }
  }

  /// The fewest bytes one value can take (a string is at least its length field, an array its
  /// type and count), used to bound counts before anything is allocated.
  var minimumSize: Int { fixedSize ?? (self == .string ? 8 : 12) }

  public var isInteger: Bool {
    switch self {
    case .uint8, .int8, .uint16, .int16, .uint32, .int32, .uint64, .int64: true
    default: false
    }
  }
}

/// One decoded metadata value. Arrays stay lazy (`GGUFArray`).
public enum GGUFValue: Sendable, CustomStringConvertible {
  case uint8(UInt8), int8(Int8), uint16(UInt16), int16(Int16), uint32(UInt32), int32(Int32)
  case uint64(UInt64), int64(Int64), float32(Float), float64(Double), bool(Bool)
  case string(String)
  case array(GGUFArray)

  public var type: GGUFValueType {
    switch self {
    case .uint8: .uint8
    case .int8: .int8
    case .uint16: .uint16
    case .int16: .int16
    case .uint32: .uint32
    case .int32: .int32
    case .uint64: .uint64
    case .int64: .int64
    case .float32: .float32
    case .float64: .float64
    case .bool: .bool
    case .string: .string
    case .array: .array
    }
  }

  /// The value for a listing: numbers as written, strings quoted (at most 60 characters shown),
  /// arrays as their element type and count.
  public var description: String {
    switch self {
    case .uint8(let v): "\(v)"
    case .int8(let v): "\(v)"
    case .uint16(let v): "\(v)"
    case .int16(let v): "\(v)"
    case .uint32(let v): "\(v)"
    case .int32(let v): "\(v)"
    case .uint64(let v): "\(v)"
    case .int64(let v): "\(v)"
    case .float32(let v): "\(v)"
    case .float64(let v): "\(v)"
    case .bool(let v): "\(v)"
    case .string(let s): "\"" + (s.count > 60 ? String(s.prefix(60)) + "…" : s) + "\""
    case .array(let a): "[\(a.count) × \(a.elementType)]"
    }
  }
}

/// An array value still in the file's bytes: its element type, count, and where its elements are.
/// Its layout (every nested length) was checked when the file was opened; strings are checked to be
/// UTF-8 when they are read.
public struct GGUFArray: Sendable {
  public let elementType: GGUFValueType
  public let count: Int
  let storage: GGUFBytes
  /// Byte range of the elements (after the type and count fields).
  let range: Range<Int>
  /// For messages: the file and the key this array belongs to (with "[i]" for nested arrays).
  let fileName: String
  let key: String

  private func failure(_ problem: String) -> GGUFError {
    GGUFError(file: fileName, subject: .key(key), problem: problem)
  }

  private func expected(_ what: String) -> GGUFError {
    failure("expected an array of \(what), found an array of \(elementType) (\(count) values)")
  }

  private var cursor: ByteCursor { ByteCursor(storage.buffer, at: range.lowerBound, fileName: fileName) }

  /// The elements of an integer array of any width as `Int`; a u64 above `Int.max` throws.
  public func integers() throws(GGUFError) -> [Int] {
    guard elementType.isInteger, let size = elementType.fixedSize else { throw expected("integers") }
    let raw = storage.buffer
    var result: [Int] = []
    result.reserveCapacity(count)  // count × size bytes of the file hold these
    for index in 0..<count {
      guard let exact = loadInteger(raw, range.lowerBound + index * size, elementType) else {
        throw failure("element \(index), a u64, is above \(Int.max)")
      }
      result.append(exact)
    }
    return result
  }

  /// The elements of an f32 array (or f64, rounded to nearest) as `Float`.
  public func floats() throws(GGUFError) -> [Float] {
    let raw = storage.buffer
    switch elementType {
    case .float32:
      return (0..<count).map { index in
        Float(
          bitPattern: UInt32(
            littleEndian: raw.loadUnaligned(fromByteOffset: range.lowerBound + 4 * index, as: UInt32.self)))
      }
    case .float64:
      return (0..<count).map { index in
        Float(
          Double(
            bitPattern: UInt64(
              littleEndian: raw.loadUnaligned(fromByteOffset: range.lowerBound + 8 * index, as: UInt64.self)))
        )
      }
    default: throw expected("f32")
    }
  }

  /// The elements of a bool array.
  public func bools() throws(GGUFError) -> [Bool] {
    guard elementType == .bool else { throw expected("bool") }
    return (0..<count).map { storage.buffer[range.lowerBound + $0] != 0 }
  }

  /// The elements of a string array; one that is not valid UTF-8 throws, naming its index.
  public func strings() throws(GGUFError) -> [String] {
    guard elementType == .string else { throw expected("strings") }
    var result: [String] = []
    result.reserveCapacity(count)
    var failedIndex: Int?
    forEachStringBytes { index, bytes in
      guard failedIndex == nil else { return }
      if let text = String(validating: bytes, as: UTF8.self) {
        result.append(text)
      } else {
        failedIndex = index
      }
    }
    if let failedIndex { throw failure("element \(failedIndex) is not valid UTF-8") }
    return result
  }

  /// Calls `body` with each string element's raw bytes, in order, without making `String`s (a
  /// tokenizer can build its own tables straight from the file). Only for string arrays.
  public func forEachStringBytes(_ body: (Int, UnsafeRawBufferPointer) -> Void) {
    guard elementType == .string else { return }
    let raw = storage.buffer
    var offset = range.lowerBound
    for index in 0..<count {
      let length = Int(UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)))
      offset += 8
      body(index, UnsafeRawBufferPointer(rebasing: raw[offset..<(offset + length)]))
      offset += length
    }
  }

  /// The elements of an array of arrays.
  public func arrays() throws(GGUFError) -> [GGUFArray] {
    guard elementType == .array else { throw expected("arrays") }
    var cursor = self.cursor
    var result: [GGUFArray] = []
    result.reserveCapacity(count)
    for index in 0..<count {
      // Checked when the file was opened: these reads cannot fail.
      let nested = try GGUFFile.arrayLayout(&cursor, key: "\(key)[\(index)]", storage: storage, depth: 1)
      result.append(nested)
    }
    return result
  }

  /// The first `limit` elements (all by default) as `GGUFValue`s, for listings and tests; arrays
  /// of arrays stay lazy. A `GGUFValue` takes about 20 bytes, twenty times a u8 element: large
  /// arrays are better read with `integers()`, `floats()` or `strings()`.
  public func values(first limit: Int = .max) throws(GGUFError) -> [GGUFValue] {
    var cursor = self.cursor
    var result: [GGUFValue] = []
    let wanted = min(count, max(0, limit))
    result.reserveCapacity(min(wanted, 1 << 12))
    for index in 0..<wanted {
      result.append(
        try GGUFFile.readValue(
          &cursor, type: elementType, key: "\(key)[\(index)]", storage: storage, depth: 1))
    }
    return result
  }
}

/// The integer of type `type` at `offset`, or nil for a u64 above Int.max.
func loadInteger(_ raw: UnsafeRawBufferPointer, _ offset: Int, _ type: GGUFValueType) -> Int? {
  switch type {
  case .uint8: Int(raw[offset])
  case .int8: Int(Int8(bitPattern: raw[offset]))
  case .uint16: Int(UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt16.self)))
  case .int16: Int(Int16(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: Int16.self)))
  case .uint32: Int(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
  case .int32: Int(Int32(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: Int32.self)))
  case .uint64: Int(exactly: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)))
  case .int64: Int(Int64(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: Int64.self)))
  default: nil
  }
}
