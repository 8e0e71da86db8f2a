// Reading and validating safetensors files.
//
// Layout: an 8-byte little-endian u64 header length N, N bytes of UTF-8 JSON, then the data buffer.
// The JSON object maps each tensor name to {"dtype", "shape", "data_offsets": [begin, end]}
// (offsets relative to the data buffer) and may hold a "__metadata__" object of string → string.
import FileInput
import JSON

/// Where one tensor lives and what it holds.
public struct SafetensorsTensorInfo: Sendable, Equatable {
  public let name: String
  public let dtype: SafetensorsDType
  /// Dimensions; `[]` is a scalar (one element), a `0` anywhere makes an empty tensor.
  public let shape: [Int]
  /// Byte range relative to the start of the data buffer.
  public let dataRange: Range<Int>

  public init(name: String, dtype: SafetensorsDType, shape: [Int], dataRange: Range<Int>) {
    self.name = name
    self.dtype = dtype
    self.shape = shape
    self.dataRange = dataRange
  }

  /// The product of `shape`: 1 for a scalar, 0 if any dimension is 0. Infos from a file always
  /// have a product that fits in `Int`; for hand-made infos an overflowing product gives `Int.max`.
  public var elementCount: Int { checkedElementCount(shape) ?? .max }
}

/// A fully validated safetensors file held in memory.
///
/// Every initialiser and accessor throws only `SafetensorsError`.
/// Validation is stricter than the reference implementation in two places: duplicate tensor names
/// (and duplicate keys inside an entry or in `__metadata__`) are rejected, and a tensor entry may
/// hold only `dtype`, `shape` and `data_offsets`.
public struct SafetensorsFile: Sendable {
  /// Headers longer than this are rejected before anything is allocated from the length field.
  public static let maxHeaderLength = 100_000_000

  public let fileName: String
  /// The `__metadata__` object, or empty if the header has none.
  public let metadata: [String: String]
  /// All tensors, sorted by begin offset (ties — zero-size tensors — keep header order after
  /// shorter ranges).
  public let tensorsInOrder: [SafetensorsTensorInfo]
  /// N, the length of the JSON header in bytes.
  public let headerLength: Int

  /// Where the data buffer is: the whole file in memory, or an open file read tensor by tensor
  /// (so a large checkpoint is never held twice, and a bad header is refused before any data is read).
  private enum Storage: Sendable {
    case memory([UInt8])
    case file(InputFile)
  }

  private let storage: Storage
  private let dataStart: Int
  private let indexByName: [String: Int]

  /// Parses and fully validates a safetensors file held in memory. `fileName` is only used in
  /// error messages.
  public init(bytes: [UInt8], fileName: String) throws(SafetensorsError) {
    let headerLength = try SafetensorsFile.headerLength(
      Array(bytes.prefix(8)), fileSize: bytes.count, fileName: fileName)
    try self.init(
      header: bytes[8..<(8 + headerLength)], fileSize: bytes.count, fileName: fileName,
      storage: .memory(bytes))
  }

  /// Checks the 8-byte length field against the limit and the file's size before anything is
  /// allocated from it.
  static func headerLength(_ first: [UInt8], fileSize: Int, fileName: String) throws(SafetensorsError) -> Int
  {
    func error(_ problem: String) -> SafetensorsError { SafetensorsError(file: fileName, problem: problem) }
    guard fileSize >= 8, first.count >= 8 else {
      throw error("file is \(fileSize) bytes, too short for the 8-byte header length")
    }
    var rawLength: UInt64 = 0
    for k in 0..<8 { rawLength |= UInt64(first[k]) << (8 * UInt64(k)) }
    guard rawLength <= UInt64(SafetensorsFile.maxHeaderLength) else {
      throw error(
        "header length \(rawLength) exceeds the \(SafetensorsFile.maxHeaderLength)-byte limit")
    }
    guard rawLength <= UInt64(fileSize - 8) else {
      throw error(
        "header length \(rawLength) runs past the end of the file (8 + \(rawLength) > "
          + "\(fileSize) bytes)")
    }
    return Int(rawLength)
  }

  /// Validates the header of a file of `fileSize` bytes whose data `storage` holds.
  private init(
    header: ArraySlice<UInt8>, fileSize: Int, fileName: String, storage: Storage
  ) throws(SafetensorsError) {
    func error(_ problem: String, tensor: String? = nil) -> SafetensorsError {
      SafetensorsError(file: fileName, tensor: tensor, problem: problem)
    }
    let headerLength = header.count
    let dataStart = 8 + headerLength
    let dataLength = fileSize - dataStart

    // 2. The header JSON.
    let root: JSONValue
    do throws(JSONParseError) {
      root = try JSONValue.parse(header, rejectDuplicateKeys: false)
    } catch {
      switch error.kind {
      case .invalidUTF8:
        throw SafetensorsError(
          file: fileName, problem: "header is not valid UTF-8 (header byte \(error.offset))")
      default:
        throw SafetensorsError(
          file: fileName,
          problem: "header is not valid JSON: \(error.message) at header byte \(error.offset)")
      }
    }
    guard let members = root.objectMembers else {
      throw error("header is not a JSON object (found \(root.typeName))")
    }

    // 3. Entries: types, duplicates, sizes.
    var metadata: [String: String]?
    var infos: [SafetensorsTensorInfo] = []
    var indexByName: [String: Int] = [:]
    infos.reserveCapacity(members.count)
    for member in members {
      if member.key == "__metadata__" {
        guard metadata == nil else { throw error("duplicate key '__metadata__'") }
        metadata = try SafetensorsFile.parseMetadata(member.value, fileName: fileName)
        continue
      }
      let name = member.key
      guard indexByName[name] == nil else {
        throw error("duplicate tensor name", tensor: name)
      }
      let info = try SafetensorsFile.parseEntry(name, member.value, fileName: fileName)
      indexByName[name] = infos.count
      infos.append(info)
    }

    // 4. Offsets: sorted by (begin, end, header order) they must tile [0, dataLength) exactly.
    let order = infos.indices.sorted { a, b in
      let ra = infos[a].dataRange
      let rb = infos[b].dataRange
      if ra.lowerBound != rb.lowerBound { return ra.lowerBound < rb.lowerBound }
      if ra.upperBound != rb.upperBound { return ra.upperBound < rb.upperBound }
      return a < b
    }
    var expectedBegin = 0
    var previousName: String?
    for index in order {
      let info = infos[index]
      guard info.dataRange.lowerBound == expectedBegin else {
        let after = previousName.map { "the end of tensor '\($0)'" } ?? "the data buffer start"
        let relation =
          info.dataRange.lowerBound < expectedBegin ? "overlaps" : "leaves a hole after"
        throw error(
          "invalid offset: data_offsets [\(info.dataRange.lowerBound), "
            + "\(info.dataRange.upperBound)] \(relation) \(after) (byte \(expectedBegin))",
          tensor: info.name)
      }
      expectedBegin = info.dataRange.upperBound
      previousName = info.name
    }
    if expectedBegin > dataLength {
      throw error(
        "file truncated: data ends at byte \(expectedBegin) of the data buffer, which has only "
          + "\(dataLength) bytes",
        tensor: previousName)
    }
    if expectedBegin < dataLength {
      throw error(
        "\(dataLength - expectedBegin) trailing bytes after the last tensor's data (data buffer "
          + "is \(dataLength) bytes, tensors cover \(expectedBegin))")
    }

    var byName: [String: Int] = [:]
    byName.reserveCapacity(order.count)
    for (position, index) in order.enumerated() { byName[infos[index].name] = position }

    self.fileName = fileName
    self.metadata = metadata ?? [:]
    self.tensorsInOrder = order.map { infos[$0] }
    self.headerLength = headerLength
    self.storage = storage
    self.dataStart = dataStart
    self.indexByName = byName
  }

  /// Opens and validates the file at `path`: only a regular file; the length field and the header
  /// are read and checked first, the tensors' bytes only when asked for. Error messages name the
  /// file by its last path component, which also becomes `fileName`.
  public static func load(path: String) throws(SafetensorsError) -> SafetensorsFile {
    let name = lastPathComponent(path)
    func failure(_ error: InputFileError) -> SafetensorsError {
      SafetensorsError(file: name, problem: "cannot read '\(path)': \(error.description)")
    }
    let file: InputFile
    let first: [UInt8]
    do {
      file = try InputFile.open(path, limit: InputFile.Limit.unlimited)
      first = try file.read(at: 0, count: min(8, file.size))
    } catch { throw failure(error) }
    let headerLength = try SafetensorsFile.headerLength(first, fileSize: file.size, fileName: name)
    let header: [UInt8]
    do { header = try file.read(at: 8, count: headerLength) } catch { throw failure(error) }
    return try SafetensorsFile(header: header[...], fileSize: file.size, fileName: name, storage: .file(file))
  }

  /// The tensor's info; a missing name throws `missing tensor '<name>'`.
  public func info(_ name: String) throws(SafetensorsError) -> SafetensorsTensorInfo {
    guard let index = indexByName[name] else {
      throw SafetensorsError(file: fileName, problem: "missing tensor '\(name)'")
    }
    return tensorsInOrder[index]
  }

  public func contains(_ name: String) -> Bool { indexByName[name] != nil }

  /// The tensor's raw little-endian bytes.
  public func rawBytes(_ name: String) throws(SafetensorsError) -> ArraySlice<UInt8> {
    let info = try info(name)
    switch storage {
    case .memory(let bytes):
      return bytes[(dataStart + info.dataRange.lowerBound)..<(dataStart + info.dataRange.upperBound)]
    case .file:
      return try withBytes(of: info) { Array($0) }[...]
    }
  }

  /// Calls `body` with the tensor's bytes (from memory, or read from the file for this call).
  private func withBytes<T>(
    of info: SafetensorsTensorInfo, _ body: (UnsafeRawBufferPointer) -> T
  ) throws(SafetensorsError) -> T {
    let start = dataStart + info.dataRange.lowerBound
    let count = info.dataRange.count
    switch storage {
    case .memory(let bytes):
      return bytes.withUnsafeBytes { raw in
        body(UnsafeRawBufferPointer(rebasing: raw[start..<(start + count)]))
      }
    case .file(let file):
      let chunk: [UInt8]
      do { chunk = try file.read(at: start, count: count) } catch {
        throw SafetensorsError(
          file: fileName, tensor: info.name, problem: "cannot read its data: \(error.description)")
      }
      return chunk.withUnsafeBytes(body)
    }
  }

  /// The tensor's elements as `Float`, row-major. F32 is copied; F16, BF16 and F64 are converted
  /// (F64 rounds to nearest). Any other dtype throws an error naming it.
  public func floats(_ name: String) throws(SafetensorsError) -> [Float] {
    let info = try info(name)
    let count = info.elementCount
    let start = 0
    switch info.dtype {
    case .f32:
      #if _endian(little)
        // An empty tensor must not go through unsafeUninitializedCapacity: with a count of 0 it
        // writes the count into the shared empty-array storage, a data race between threads
        // (ThreadSanitizer saw two loads race there).
        guard count > 0 else { return [] }
        if case .file(let file) = storage {
          // Straight from the file into the floats: no byte array of the tensor's size first.
          var failure: InputFileError?
          let floats = [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
            do throws(InputFileError) {
              try file.read(
                at: dataStart + info.dataRange.lowerBound, into: UnsafeMutableRawBufferPointer(buffer))
            } catch { failure = error }
            initialized = count
          }
          if let failure {
            throw SafetensorsError(
              file: fileName, tensor: info.name, problem: "cannot read its data: \(failure.description)")
          }
          return floats
        }
        return try withBytes(of: info) { raw in
          [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
            UnsafeMutableRawBufferPointer(buffer).copyMemory(
              from: UnsafeRawBufferPointer(rebasing: raw[0..<(4 * count)]))
            initialized = count
          }
        }
      #else
        return try decode(info, start: start, count: count, width: 4) { raw, offset in
          Float(
            bitPattern: UInt32(
              littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
        }
      #endif
    case .f16:
      return try decode(info, start: start, count: count, width: 2) { raw, offset in
        floatFromF16Bits(
          UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt16.self)))
      }
    case .bf16:
      return try decode(info, start: start, count: count, width: 2) { raw, offset in
        floatFromBF16Bits(
          UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt16.self)))
      }
    case .f64:
      return try decode(info, start: start, count: count, width: 8) { raw, offset in
        Float(
          Double(
            bitPattern: UInt64(
              littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self))))
      }
    default:
      throw SafetensorsError(
        file: fileName, tensor: name,
        problem: "dtype \(info.dtype.rawValue) cannot be read as floats (F32, F16, BF16, F64 only)")
    }
  }

  /// The tensor's elements as `Int`, row-major, for every integer dtype and BOOL (0 or 1). A U64
  /// value above `Int.max`, or a BOOL byte other than 0 or 1, throws. Float dtypes throw.
  public func integers(_ name: String) throws(SafetensorsError) -> [Int] {
    let info = try info(name)
    let count = info.elementCount
    let start = 0
    func load<T: FixedWidthInteger>(_: T.Type) throws(SafetensorsError) -> [T] {
      try decode(info, start: start, count: count, width: MemoryLayout<T>.size) { raw, offset in
        T(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: T.self))
      }
    }
    func failure(_ problem: String) -> SafetensorsError {
      SafetensorsError(file: fileName, tensor: name, problem: problem)
    }
    switch info.dtype {
    case .i8: return try load(Int8.self).map { Int($0) }
    case .u8: return try load(UInt8.self).map { Int($0) }
    case .i16: return try load(Int16.self).map { Int($0) }
    case .u16: return try load(UInt16.self).map { Int($0) }
    case .i32: return try load(Int32.self).map { Int($0) }
    case .u32: return try load(UInt32.self).map { Int($0) }
    case .i64: return try convertExactly(try load(Int64.self), dtype: info.dtype, failure: failure)
    case .u64: return try convertExactly(try load(UInt64.self), dtype: info.dtype, failure: failure)
    case .bool:
      let raw = try load(UInt8.self)
      if let bad = raw.firstIndex(where: { $0 > 1 }) {
        throw failure(
          "BOOL byte 0x\(String(raw[bad], radix: 16, uppercase: true)) at index \(bad) "
            + "is not 0 or 1"
        )
      }
      return raw.map { Int($0) }
    default:
      throw failure(
        "dtype \(info.dtype.rawValue) cannot be read as integers (integer dtypes and BOOL only)")
    }
  }

  // MARK: - Private

  private func convertExactly<T: FixedWidthInteger>(
    _ values: [T], dtype: SafetensorsDType, failure: (String) -> SafetensorsError
  ) throws(SafetensorsError) -> [Int] {
    var result: [Int] = []
    result.reserveCapacity(values.count)
    for (index, value) in values.enumerated() {
      guard let converted = Int(exactly: value) else {
        throw failure("\(dtype.rawValue) value \(value) at index \(index) overflows Int")
      }
      result.append(converted)
    }
    return result
  }

  private func decode<T>(
    _ info: SafetensorsTensorInfo, start: Int, count: Int, width: Int,
    _ element: (UnsafeRawBufferPointer, Int) -> T
  ) throws(SafetensorsError) -> [T] {
    try withBytes(of: info) { raw in
      var result: [T] = []
      result.reserveCapacity(count)
      var offset = start
      for _ in 0..<count {
        result.append(element(raw, offset))
        offset += width
      }
      return result
    }
  }

  private static func parseMetadata(
    _ value: JSONValue, fileName: String
  ) throws(SafetensorsError) -> [String: String] {
    guard let members = value.objectMembers else {
      throw SafetensorsError(
        file: fileName, problem: "__metadata__ must be a JSON object, found \(value.typeName)")
    }
    var metadata: [String: String] = [:]
    for member in members {
      guard let string = member.value.stringValue else {
        throw SafetensorsError(
          file: fileName,
          problem:
            "__metadata__ value for '\(member.key)' must be a string, "
            + "found \(member.value.typeName)"
        )
      }
      guard metadata.updateValue(string, forKey: member.key) == nil else {
        throw SafetensorsError(
          file: fileName, problem: "__metadata__ has duplicate key '\(member.key)'")
      }
    }
    return metadata
  }

  private static func parseEntry(
    _ name: String, _ value: JSONValue, fileName: String
  ) throws(SafetensorsError) -> SafetensorsTensorInfo {
    func error(_ problem: String) -> SafetensorsError {
      SafetensorsError(file: fileName, tensor: name, problem: problem)
    }
    guard let members = value.objectMembers else {
      throw error("entry must be a JSON object, found \(value.typeName)")
    }
    var dtype: SafetensorsDType?
    var shape: [Int]?
    var offsets: [Int]?
    var seen: Set<String> = []
    for member in members {
      guard seen.insert(member.key).inserted else {
        throw error("duplicate key '\(member.key)'")
      }
      switch member.key {
      case "dtype":
        guard let string = member.value.stringValue else {
          throw error("dtype must be a string, found \(member.value.typeName)")
        }
        guard let known = SafetensorsDType(rawValue: string) else {
          throw error("unknown dtype '\(string)'")
        }
        dtype = known
      case "shape":
        shape = try integerArray(member.value, what: "shape", error: error)
      case "data_offsets":
        let pair = try integerArray(member.value, what: "data_offsets", error: error)
        guard pair.count == 2 else {
          throw error("data_offsets must have 2 entries, found \(pair.count)")
        }
        offsets = pair
      default:
        throw error("unexpected key '\(member.key)' (only dtype, shape, data_offsets)")
      }
    }
    guard let dtype else { throw error("missing 'dtype'") }
    guard let shape else { throw error("missing 'shape'") }
    guard let offsets else { throw error("missing 'data_offsets'") }

    let (begin, end) = (offsets[0], offsets[1])
    guard begin <= end else {
      throw error("data_offsets [\(begin), \(end)]: end before begin")
    }
    let shapeText = "[" + shape.map(String.init).joined(separator: ", ") + "]"
    guard let elements = checkedElementCount(shape) else {
      throw error("shape \(shapeText) element count overflows Int")
    }
    let (byteCount, overflow) = elements.multipliedReportingOverflow(by: dtype.byteSize)
    guard !overflow else {
      throw error("shape \(shapeText) × \(dtype.rawValue) byte size overflows Int")
    }
    guard end - begin == byteCount else {
      throw error(
        "byte length \(end - begin) ≠ shape \(shapeText) × \(dtype.rawValue) (\(byteCount))")
    }
    return SafetensorsTensorInfo(name: name, dtype: dtype, shape: shape, dataRange: begin..<end)
  }

  /// A JSON array of non-negative integer literals that fit in `Int`.
  private static func integerArray(
    _ value: JSONValue, what: String, error: (String) -> SafetensorsError
  ) throws(SafetensorsError) -> [Int] {
    guard let elements = value.arrayValue else {
      throw error("\(what) must be an array, found \(value.typeName)")
    }
    var result: [Int] = []
    result.reserveCapacity(elements.count)
    for element in elements {
      guard let number = element.numberValue else {
        throw error("\(what) entries must be integers, found \(element.typeName)")
      }
      guard number.isInteger else {
        throw error("\(what) entry \(number.literal) is not an integer")
      }
      guard !number.isNegative else {
        throw error("\(what) entry \(number.literal) is negative")
      }
      guard let integer = number.intValue else {
        throw error("\(what) entry \(number.literal) is too large")
      }
      result.append(integer)
    }
    return result
  }
}

/// The product of non-negative `shape` entries, or `nil` if it overflows `Int`. A zero anywhere
/// makes the product 0 regardless of the other dimensions.
func checkedElementCount(_ shape: [Int]) -> Int? {
  if shape.contains(0) { return 0 }
  var elements = 1
  for dimension in shape {
    let (product, overflow) = elements.multipliedReportingOverflow(by: dimension)
    if overflow { return nil }
    elements = product
  }
  return elements
}

// MARK: - File system

func lastPathComponent(_ path: String) -> String {
  path.split(separator: "/").last.map(String.init) ?? path
}
