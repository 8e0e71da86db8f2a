// Little-endian reads from a GGUF file's bytes, each one bounds-checked against what is left, so
// no length the file claims is used before it is known to fit.

struct ByteCursor {
  let bytes: UnsafeRawBufferPointer
  var offset: Int
  let fileName: String

  init(_ bytes: UnsafeRawBufferPointer, at offset: Int = 0, fileName: String) {
    self.bytes = bytes
    self.offset = offset
    self.fileName = fileName
  }

  var remaining: Int { bytes.count - offset }

  func failure(_ problem: String, _ subject: GGUFError.Subject? = nil) -> GGUFError {
    GGUFError(file: fileName, subject: subject, problem: problem)
  }

  /// Claims `count` bytes and returns where they start.
  mutating func take(
    _ count: Int, _ what: @autoclosure () -> String, _ subject: GGUFError.Subject? = nil
  ) throws(GGUFError) -> Int {
    guard count <= remaining else {
      throw failure(
        "file ends inside \(what()): \(count) bytes needed at byte \(offset), \(remaining) left",
        subject)
    }
    let start = offset
    offset += count
    return start
  }

  mutating func u32(_ what: @autoclosure () -> String, _ subject: GGUFError.Subject? = nil)
    throws(GGUFError) -> UInt32
  {
    let at = try take(4, what(), subject)
    return UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: at, as: UInt32.self))
  }

  mutating func u64(_ what: @autoclosure () -> String, _ subject: GGUFError.Subject? = nil)
    throws(GGUFError) -> UInt64
  {
    let at = try take(8, what(), subject)
    return UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: at, as: UInt64.self))
  }

  /// A GGUF string (u64 length, then that many bytes): its byte range, checked to fit.
  mutating func stringRange(_ what: @autoclosure () -> String, _ subject: GGUFError.Subject? = nil)
    throws(GGUFError) -> Range<Int>
  {
    let length = try u64("the length of \(what())", subject)
    guard length <= UInt64(remaining) else {
      throw failure(
        "\(what()) claims \(length) bytes at byte \(offset), only \(remaining) left in the file",
        subject)
    }
    let start = try take(Int(length), what(), subject)
    return start..<offset
  }

  /// The UTF-8 text in `range`, or nil if it is not valid UTF-8.
  func text(_ range: Range<Int>) -> String? {
    String(validating: UnsafeRawBufferPointer(rebasing: bytes[range]), as: UTF8.self)
  }
}
