// Writing safetensors files.
import JSON

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// Builds a safetensors file in memory.
///
/// Tensor data is laid out in the order tensors were added. The header is deterministic: compact
/// JSON, `__metadata__` first (omitted when empty, keys sorted), then tensors sorted by the UTF-8
/// bytes of their names, each as `{"dtype","shape","data_offsets"}`; it is padded with spaces to a
/// multiple of 8 bytes. All throwing methods throw only `SafetensorsError`; errors from `add` name
/// the file as `"safetensors writer"`.
public struct SafetensorsWriter: Sendable {
  private struct Entry: Sendable {
    let name: String
    let dtype: SafetensorsDType
    let shape: [Int]
    let data: [UInt8]
  }

  public var metadata: [String: String]
  private var entries: [Entry] = []
  private var names: Set<String> = []

  static let errorFileName = "safetensors writer"

  public init(metadata: [String: String] = [:]) {
    self.metadata = metadata
  }

  /// Adds an F32 tensor. `floats.count` must equal the product of `shape`.
  public mutating func add(
    _ name: String, shape: [Int], floats: [Float]
  ) throws(SafetensorsError) {
    try add(name, .f32, shape: shape, floats.map(\.bitPattern))
  }

  /// Adds an I64 tensor. `int64s.count` must equal the product of `shape`.
  public mutating func add(
    _ name: String, shape: [Int], int64s: [Int64]
  ) throws(SafetensorsError) {
    try add(name, .i64, shape: shape, int64s.map { UInt64(bitPattern: $0) })
  }
  /// The little-endian bytes of `values` as one entry of `dtype`.
  private mutating func add<Bits: FixedWidthInteger>(
    _ name: String, _ dtype: SafetensorsDType, shape: [Int], _ values: [Bits]
  ) throws(SafetensorsError) {
    try check(name, shape: shape, count: values.count)
    var data: [UInt8] = []
    data.reserveCapacity(values.count * MemoryLayout<Bits>.size)
    for value in values { appendLittleEndian(value, to: &data) }
    append(Entry(name: name, dtype: dtype, shape: shape, data: data))
  }

  /// The complete file.
  public func serialize() -> [UInt8] {
    var members: [JSONMember] = []
    if !metadata.isEmpty {
      let sortedMetadata = metadata.sorted { utf8Less($0.key, $1.key) }
      members.append(
        JSONMember(
          key: "__metadata__",
          value: .object(sortedMetadata.map { JSONMember(key: $0.key, value: .string($0.value)) })))
    }
    var tensorMembers: [JSONMember] = []
    var offset = 0
    for entry in entries {
      let end = offset + entry.data.count
      let description = JSONValue.object([
        JSONMember(key: "dtype", value: .string(entry.dtype.rawValue)),
        JSONMember(key: "shape", value: .array(entry.shape.map { .number(JSONNumber($0)) })),
        JSONMember(
          key: "data_offsets",
          value: .array([.number(JSONNumber(offset)), .number(JSONNumber(end))])),
      ])
      tensorMembers.append(JSONMember(key: entry.name, value: description))
      offset = end
    }
    tensorMembers.sort { utf8Less($0.key, $1.key) }
    members += tensorMembers

    var header: [UInt8] = []
    JSONValue.object(members).appendSerialized(to: &header)
    while header.count % 8 != 0 { header.append(UInt8(ascii: " ")) }

    var out: [UInt8] = []
    out.reserveCapacity(8 + header.count + offset)
    appendLittleEndian(UInt64(header.count), to: &out)
    out += header
    for entry in entries { out += entry.data }
    return out
  }

  /// Serialises and writes the file, replacing `path` atomically (via a temporary file in the same
  /// directory and a rename). Errors name the file by its last path component.
  public func write(toPath path: String) throws(SafetensorsError) {
    let fileName = lastPathComponent(path)
    func failure(_ reason: String) -> SafetensorsError {
      SafetensorsError(file: fileName, problem: "cannot write '\(path)': \(reason)")
    }
    let bytes = serialize()
    let temporary = "\(path).tmp-\(getpid())"
    let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
    guard fd >= 0 else { throw failure(String(cString: strerror(errno))) }
    var writeError: Int32 = 0
    bytes.withUnsafeBytes { raw in
      var done = 0
      while done < raw.count {
        let n = posixWrite(fd, raw.baseAddress! + done, raw.count - done)
        if n < 0 {
          if errno == EINTR { continue }
          writeError = errno
          return
        }
        done += n
      }
    }
    if close(fd) != 0, writeError == 0 { writeError = errno }
    if writeError == 0, rename(temporary, path) != 0 { writeError = errno }
    if writeError != 0 {
      unlink(temporary)
      throw failure(String(cString: strerror(writeError)))
    }
  }

  // MARK: - Private

  private mutating func append(_ entry: Entry) {
    names.insert(entry.name)
    entries.append(entry)
  }

  private func check(_ name: String, shape: [Int], count: Int) throws(SafetensorsError) {
    func error(_ problem: String) -> SafetensorsError {
      SafetensorsError(file: SafetensorsWriter.errorFileName, tensor: name, problem: problem)
    }
    guard name != "__metadata__" else { throw error("the name '__metadata__' is reserved") }
    guard !names.contains(name) else { throw error("duplicate tensor name") }
    let shapeText = "[" + shape.map(String.init).joined(separator: ", ") + "]"
    guard shape.allSatisfy({ $0 >= 0 }) else {
      throw error("negative dimension in shape \(shapeText)")
    }
    guard let elements = checkedElementCount(shape) else {
      throw error("shape \(shapeText) element count overflows Int")
    }
    guard count == elements else {
      throw error("\(count) values for shape \(shapeText) (\(elements) elements)")
    }
  }
}

/// POSIX `write`, named apart from the writer's own `write(toPath:)`.
@inline(__always)
private func posixWrite(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
  write(fd, buffer, count)
}

private func appendLittleEndian<T: FixedWidthInteger>(_ value: T, to out: inout [UInt8]) {
  var v = value.littleEndian
  withUnsafeBytes(of: &v) { out.append(contentsOf: $0) }
}

private func utf8Less(_ a: String, _ b: String) -> Bool {
  a.utf8.lexicographicallyPrecedes(b.utf8)
}
