// Reading and validating GGUF files, llama.cpp's model format (ggml docs/gguf.md, versions 2 and 3).
//
// Layout, all little-endian: magic "GGUF", version u32, tensor count u64, metadata count u64; the
// metadata pairs (key string, value type u32, value); the tensor infos (name string, n_dims u32,
// ne[0..<n_dims] u64, ggml type u32, offset u64 from the data section); padding to
// `general.alignment` (default 32); the data section. A string is a u64 length and UTF-8 bytes.
//
// Held to the safetensors standard (SafetensorsFile): the whole header is read and checked before
// any tensor is touched, every count and length is checked against the bytes left before anything
// is allocated from it (so a 40-byte file claiming 2^60 tensors is refused at once — llama.cpp
// #15711, #19003), and every tensor's bytes are computed with overflow checks and must lie inside
// the file, aligned, without overlapping another tensor. Tensors are decoded only when asked for.
import FileInput

/// Where one tensor lives and what it holds.
public struct GGUFTensorInfo: Sendable, Equatable {
  public let name: String
  public let type: GGMLType
  /// ne[0], ne[1], … in GGML's order: ne[0] is the length of a row (the fastest-varying index),
  /// so a PyTorch weight of shape [out, in] is stored with dimensions [in, out].
  public let dimensions: [Int]
  /// Byte offset from the start of the data section (a multiple of the alignment).
  public let offset: Int
  /// Bytes of data: ne[0] / block size × block bytes × ne[1] × ne[2] × ne[3].
  public let byteCount: Int

  public var elementCount: Int { dimensions.reduce(1, *) }
  /// ne[0]: values per row.
  public var columns: Int { dimensions[0] }
  /// ne[1] × ne[2] × ne[3]: rows, back to back.
  public var rows: Int { dimensions.dropFirst().reduce(1, *) }
  /// The shape in PyTorch's order (dimensions reversed), as transformers sees the tensor.
  public var shape: [Int] { dimensions.reversed() }
}

/// A validated GGUF file, memory-mapped or held in memory.
public struct GGUFFile: Sendable {
  /// `general.alignment` when the file does not set it (gguf.md, GGUF_DEFAULT_ALIGNMENT).
  public static let defaultAlignment = 32
  /// The largest `general.alignment` accepted (a page of 64 KB is the largest in use).
  public static let maxAlignment = 1 << 20
  /// GGML_MAX_DIMS.
  public static let maxDimensions = 4
  /// gguf.md: a tensor name is at most 64 bytes.
  public static let maxTensorNameBytes = 64
  /// Arrays of arrays deeper than this are refused (each level is a recursion here).
  public static let maxArrayDepth = 16
  static let reservationLimit = 1 << 12

  public let fileName: String
  /// 2 or 3 (their layouts are the same; version 3 added big-endian files, refused here).
  public let version: Int
  public let alignment: Int
  /// Absolute byte offset of the data section.
  public let dataOffset: Int
  /// The file's size in bytes.
  public var fileSize: Int { storage.count }
  /// Whether the bytes are a read-only memory map of the file (rather than a heap copy).
  public var isMemoryMapped: Bool { storage.isMapped }
  /// Metadata keys in file order.
  public let metadataKeys: [String]
  /// Tensors in file order.
  public let tensors: [GGUFTensorInfo]

  let storage: GGUFBytes
  let entries: [String: MetadataEntry]
  private let tensorIndex: [String: Int]

  /// A metadata value still in the file: its type and where its payload starts; arrays keep their
  /// checked layout.
  struct MetadataEntry: Sendable {
    let type: GGUFValueType
    let offset: Int
    let array: GGUFArray?
  }

  /// Parses and validates a GGUF file held in memory (copied once into an aligned buffer).
  /// `fileName` is only used in messages.
  public init(bytes: [UInt8], fileName: String) throws(GGUFError) {
    try self.init(storage: GGUFBytes(copying: bytes), fileName: fileName)
  }

  /// Opens the regular file at `path` (a FIFO or device is refused without blocking) and validates
  /// its header; tensors are read only when asked for. With `memoryMap` (the default) the file is
  /// mapped read-only, otherwise read into memory. Messages name the file by its last path
  /// component.
  public static func load(path: String, memoryMap: Bool = true) throws(GGUFError) -> GGUFFile {
    let name = path.split(separator: "/").last.map(String.init) ?? path
    let storage: GGUFBytes
    do {
      if memoryMap {
        storage = try GGUFBytes.map(path: path, limit: InputFile.Limit.unlimited)
      } else {
        storage = GGUFBytes(copying: try InputFile.read(path, limit: InputFile.Limit.unlimited))
      }
    } catch {
      throw GGUFError(file: name, problem: "cannot read '\(path)'\(error.suffix)")
    }
    return try GGUFFile(storage: storage, fileName: name)
  }

  private init(storage: GGUFBytes, fileName: String) throws(GGUFError) {
    var c = ByteCursor(storage.buffer, fileName: fileName)
    func failure(_ problem: String, _ subject: GGUFError.Subject? = nil) -> GGUFError {
      GGUFError(file: fileName, subject: subject, problem: problem)
    }

    // 1. Header.
    guard storage.count >= 4 else {
      throw failure("file is \(storage.count) bytes, too short for the GGUF magic")
    }
    let magic = Array(UnsafeRawBufferPointer(rebasing: storage.buffer[0..<4]))
    guard magic == Array("GGUF".utf8) else {
      let hex = magic.map { String($0, radix: 16, uppercase: true) }.map { $0.count < 2 ? "0" + $0 : $0 }
      throw failure(
        "not a GGUF file (magic bytes \(hex.joined(separator: " ")), expected 47 47 55 46 \"GGUF\")")
    }
    c.offset = 4
    let version = try c.u32("the version")
    if version == 1 {
      throw failure("GGUF version 1 is not supported (only versions 2 and 3)")
    }
    if version != 0, version & 0xFFFF == 0, version.byteSwapped <= 3 {
      throw failure(
        "a big-endian GGUF file (version \(version.byteSwapped) in big-endian byte order); "
          + "only little-endian files are supported")
    }
    guard version == 2 || version == 3 else {
      throw failure("unknown GGUF version \(version) (only versions 2 and 3 are supported)")
    }
    let tensorCount = try c.u64("the tensor count")
    let metadataCount = try c.u64("the metadata count")
    // The fewest bytes a metadata pair (8-byte key length, a 1-byte key, type, a 1-byte value) and
    // a tensor info (name length, a 1-byte name, n_dims, one dimension, type, offset) can take.
    let minimumPair = 8 + 1 + 4 + 1
    let minimumInfo = 8 + 1 + 4 + 8 + 4 + 8
    guard metadataCount <= UInt64(c.remaining / minimumPair) else {
      throw failure(
        "metadata count \(metadataCount) cannot fit in the \(c.remaining) bytes after the header")
    }
    guard tensorCount <= UInt64(c.remaining / minimumInfo) else {
      throw failure(
        "tensor count \(tensorCount) cannot fit in the \(c.remaining) bytes after the header")
    }

    // 2. Metadata.
    var entries: [String: MetadataEntry] = [:]
    var keys: [String] = []
    // Reserved up to a few thousand only: a count is bounded by the file's size, but reserving it
    // all would still let a 1 GB file of tiny pairs ask for gigabytes before they are read.
    keys.reserveCapacity(min(Int(metadataCount), GGUFFile.reservationLimit))
    for index in 0..<Int(metadataCount) {
      let keyRange = try c.stringRange("the key of metadata pair \(index)")
      guard !keyRange.isEmpty else { throw failure("metadata pair \(index) has an empty key") }
      guard let key = c.text(keyRange) else {
        throw failure("the key of metadata pair \(index) is not valid UTF-8")
      }
      guard entries[key] == nil else { throw failure("duplicate key", .key(key)) }
      let rawType = try c.u32("the value type", .key(key))
      guard let type = GGUFValueType(rawValue: rawType) else {
        throw failure("unknown value type \(rawType)", .key(key))
      }
      let offset = c.offset
      var array: GGUFArray?
      if type == .array {
        array = try GGUFFile.arrayLayout(&c, key: key, storage: storage, depth: 1)
      } else {
        _ = try GGUFFile.skipScalar(&c, type: type, key: key)
      }
      entries[key] = MetadataEntry(type: type, offset: offset, array: array)
      keys.append(key)
    }

    // 3. Alignment: a u32 power of two (llama.cpp #26318).
    var alignment = GGUFFile.defaultAlignment
    if let entry = entries["general.alignment"] {
      let key = GGUFError.Subject.key("general.alignment")
      guard entry.type == .uint32 else {
        throw failure("must be a u32, found \(entry.type)", key)
      }
      let value = Int(
        UInt32(littleEndian: storage.buffer.loadUnaligned(fromByteOffset: entry.offset, as: UInt32.self)))
      guard value > 0, value & (value - 1) == 0, value <= GGUFFile.maxAlignment else {
        throw failure("alignment \(value) is not a power of two from 1 to \(GGUFFile.maxAlignment)", key)
      }
      alignment = value
    }

    // 4. Tensor infos.
    var infos: [GGUFTensorInfo] = []
    var tensorIndex: [String: Int] = [:]
    infos.reserveCapacity(min(Int(tensorCount), GGUFFile.reservationLimit))
    for index in 0..<Int(tensorCount) {
      let nameRange = try c.stringRange("the name of tensor \(index)")
      guard !nameRange.isEmpty else { throw failure("tensor \(index) has an empty name") }
      guard let name = c.text(nameRange) else {
        throw failure("the name of tensor \(index) is not valid UTF-8")
      }
      let subject = GGUFError.Subject.tensor(name)
      guard nameRange.count <= GGUFFile.maxTensorNameBytes else {
        throw failure("name is \(nameRange.count) bytes, longer than \(GGUFFile.maxTensorNameBytes)", subject)
      }
      guard tensorIndex[name] == nil else { throw failure("duplicate tensor name", subject) }
      let info = try GGUFFile.tensorInfo(&c, name: name)
      tensorIndex[name] = infos.count
      infos.append(info)
    }

    // 5. Data section: each tensor aligned, inside the file, not overlapping another.
    let (padded, paddingOverflow) = c.offset.addingReportingOverflow(alignment - 1)
    let dataOffset = paddingOverflow ? Int.max : padded / alignment * alignment
    let fileSize = storage.count
    if !infos.isEmpty, dataOffset > fileSize {
      throw failure("file ends at byte \(fileSize), before its data section (byte \(dataOffset))")
    }
    let dataLength = max(0, fileSize - dataOffset)
    for info in infos {
      let subject = GGUFError.Subject.tensor(info.name)
      guard info.offset % alignment == 0 else {
        throw failure("data offset \(info.offset) is not a multiple of the alignment \(alignment)", subject)
      }
      guard info.offset <= dataLength, info.byteCount <= dataLength - info.offset else {
        throw failure(
          "data [\(info.offset), \(info.offset) + \(info.byteCount)) runs past the end of the "
            + "\(dataLength)-byte data section", subject)
      }
    }
    let order = infos.indices.sorted { infos[$0].offset < infos[$1].offset }
    var end = 0
    var previous: GGUFTensorInfo?
    for index in order {
      let info = infos[index]
      if let previous, info.offset < end {
        throw failure(
          "data [\(info.offset), \(info.offset + info.byteCount)) overlaps tensor '\(GGUFError.shown(previous.name))' "
            + "[\(previous.offset), \(end))", .tensor(info.name))
      }
      end = info.offset + info.byteCount
      previous = info
    }
    // Nothing but the last tensor's padding may follow it (a file cut or glued to another shows up
    // here rather than as a wrong model).
    if !infos.isEmpty, dataLength - end >= alignment {
      throw failure(
        "\(dataLength - end) bytes follow the last tensor's data (at most \(alignment - 1) bytes of padding)")
    }

    self.fileName = fileName
    self.version = Int(version)
    self.alignment = alignment
    self.dataOffset = dataOffset
    self.metadataKeys = keys
    self.tensors = infos
    self.storage = storage
    self.entries = entries
    self.tensorIndex = tensorIndex
  }

  /// One tensor info after its name: n_dims, dimensions, type, offset, with the byte count computed
  /// with overflow checks.
  private static func tensorInfo(_ c: inout ByteCursor, name: String) throws(GGUFError) -> GGUFTensorInfo {
    let subject = GGUFError.Subject.tensor(name)
    func failure(_ problem: String) -> GGUFError { c.failure(problem, subject) }
    let rank = try c.u32("the number of dimensions", subject)
    guard rank >= 1, rank <= UInt32(maxDimensions) else {
      throw failure("has \(rank) dimensions (1 to \(maxDimensions) allowed)")
    }
    var dimensions: [Int] = []
    for axis in 0..<Int(rank) {
      let value = try c.u64("dimension \(axis)", subject)
      guard value > 0 else { throw failure("dimension ne[\(axis)] is 0") }
      guard value <= UInt64(Int.max) else { throw failure("dimension ne[\(axis)] = \(value) is too large") }
      dimensions.append(Int(value))
    }
    let rawType = try c.u32("the tensor type", subject)
    guard let type = GGMLType(rawValue: rawType) else { throw failure("unknown tensor type id \(rawType)") }
    let offset = try c.u64("the data offset", subject)
    let shown = "[" + dimensions.map(String.init).joined(separator: ", ") + "]"
    guard offset <= UInt64(Int.max) else { throw failure("data offset \(offset) is too large") }
    var elements = 1
    for d in dimensions {
      let (product, overflow) = elements.multipliedReportingOverflow(by: d)
      guard !overflow else { throw failure("dimensions \(shown) hold more than \(Int.max) values") }
      elements = product
    }
    guard dimensions[0] % type.blockSize == 0 else {
      throw failure(
        "ne[0] = \(dimensions[0]) is not a multiple of \(type.name)'s block of \(type.blockSize) values")
    }
    var (bytes, overflow) = (dimensions[0] / type.blockSize).multipliedReportingOverflow(by: type.typeSize)
    for d in dimensions.dropFirst() where !overflow {
      (bytes, overflow) = bytes.multipliedReportingOverflow(by: d)
    }
    guard !overflow else {
      throw failure("dimensions \(shown) of \(type.name) take more than \(Int.max) bytes")
    }
    return GGUFTensorInfo(
      name: name, type: type, dimensions: dimensions, offset: Int(offset), byteCount: bytes)
  }

  /// Skips a scalar or string value, checking it fits (and that a bool is 0 or 1).
  static func skipScalar(_ c: inout ByteCursor, type: GGUFValueType, key: String) throws(GGUFError) -> Int {
    if type == .string {
      return try c.stringRange("the string value", .key(key)).lowerBound
    }
    let size = type.fixedSize!
    let at = try c.take(size, "a \(type) value", .key(key))
    if type == .bool, c.bytes[at] > 1 {
      throw c.failure("bool value is \(c.bytes[at]), not 0 or 1", .key(key))
    }
    return at
  }

  /// An array's header and elements, checked: the count against the bytes left before anything
  /// is walked, every nested string and array length against the file, bools 0 or 1.
  static func arrayLayout(
    _ c: inout ByteCursor, key: String, storage: GGUFBytes, depth: Int
  ) throws(GGUFError) -> GGUFArray {
    let subject = GGUFError.Subject.key(key)
    guard depth <= maxArrayDepth else {
      throw c.failure("arrays nested more than \(maxArrayDepth) deep", subject)
    }
    let rawType = try c.u32("the element type of an array", subject)
    guard let type = GGUFValueType(rawValue: rawType) else {
      throw c.failure("unknown array element type \(rawType)", subject)
    }
    let count = try c.u64("the length of an array", subject)
    guard count <= UInt64(c.remaining / type.minimumSize) else {
      throw c.failure(
        "array of \(count) \(type) values cannot fit in the \(c.remaining) bytes left", subject)
    }
    let n = Int(count)
    let start = c.offset
    if let size = type.fixedSize {
      let at = try c.take(n * size, "an array of \(n) \(type) values", subject)
      if type == .bool, let bad = (at..<(at + n)).first(where: { c.bytes[$0] > 1 }) {
        throw c.failure("bool element \(bad - at) is \(c.bytes[bad]), not 0 or 1", subject)
      }
    } else if type == .string {
      for index in 0..<n { _ = try c.stringRange("string \(index) of the array", subject) }
    } else {
      for index in 0..<n {
        _ = try arrayLayout(&c, key: "\(key)[\(index)]", storage: storage, depth: depth + 1)
      }
    }
    return GGUFArray(
      elementType: type, count: n, storage: storage, range: start..<c.offset, fileName: c.fileName, key: key)
  }

  /// Decodes one value at the cursor (its layout already checked); strings must be UTF-8.
  static func readValue(
    _ c: inout ByteCursor, type: GGUFValueType, key: String, storage: GGUFBytes, depth: Int
  ) throws(GGUFError) -> GGUFValue {
    if type == .array { return .array(try arrayLayout(&c, key: key, storage: storage, depth: depth)) }
    if type == .string {
      let range = try c.stringRange("the string value", .key(key))
      guard let text = c.text(range) else { throw c.failure("string is not valid UTF-8", .key(key)) }
      return .string(text)
    }
    let at = try skipScalar(&c, type: type, key: key)
    return scalar(c.bytes, at, type)
  }

  static func scalar(_ raw: UnsafeRawBufferPointer, _ at: Int, _ type: GGUFValueType) -> GGUFValue {
    func load<T: FixedWidthInteger>(_: T.Type) -> T {
      T(littleEndian: raw.loadUnaligned(fromByteOffset: at, as: T.self))
    }
    switch type {
    case .uint8: return .uint8(raw[at])
    case .int8: return .int8(Int8(bitPattern: raw[at]))
    case .uint16: return .uint16(load(UInt16.self))
    case .int16: return .int16(load(Int16.self))
    case .uint32: return .uint32(load(UInt32.self))
    case .int32: return .int32(load(Int32.self))
    case .uint64: return .uint64(load(UInt64.self))
    case .int64: return .int64(load(Int64.self))
    case .float32: return .float32(Float(bitPattern: load(UInt32.self)))
    case .float64: return .float64(Double(bitPattern: load(UInt64.self)))
    case .bool: return .bool(raw[at] != 0)
    case .string, .array: preconditionFailure("not a scalar")
    }
  }

  // MARK: - Tensors

  /// The tensor's info; a missing name throws `missing tensor '<name>'`.
  public func tensor(_ name: String) throws(GGUFError) -> GGUFTensorInfo {
    guard let index = tensorIndex[name] else {
      throw GGUFError(file: fileName, problem: "missing tensor '\(GGUFError.shown(name))'")
    }
    return tensors[index]
  }

  public func contains(tensor name: String) -> Bool { tensorIndex[name] != nil }

  /// Calls `body` with the tensor's raw bytes (GGML blocks, little-endian), straight from the file.
  public func withRawBytes<R>(
    of name: String, _ body: (UnsafeRawBufferPointer) throws -> R
  ) throws -> R {
    let info = try tensor(name)
    let start = dataOffset + info.offset
    return try body(UnsafeRawBufferPointer(rebasing: storage.buffer[start..<(start + info.byteCount)]))
  }
}
