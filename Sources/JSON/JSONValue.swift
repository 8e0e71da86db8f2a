// The project's one JSON (RFC 8259) parser and serialiser, strict, for untrusted safetensors headers,
// config files and tokenizer files; `JSONValueDecoder` decodes Codable types from its values.
//
// Strictness: the whole input must be valid UTF-8 (no overlong forms, no encoded surrogates,
// nothing above U+10FFFF); exactly one value surrounded only by JSON whitespace; no control
// characters inside strings; only the standard escapes; `\u` surrogates must pair; numbers follow
// the JSON grammar (no leading zeros, no `+`, no bare `.`); nesting is limited (default 64) and
// parsing uses an explicit stack, so deep input cannot overflow the call stack. A leading UTF-8 byte
// order mark is refused with its own message (RFC 8259 §8.1 forbids writing one; Python's json, which
// transformers reads configs with, refuses it too), so the user learns what to fix.
import FileInput

/// One `"key": value` member of a JSON object, in source order.
public struct JSONMember: Sendable, Equatable {
  public let key: String
  public let value: JSONValue

  public init(key: String, value: JSONValue) {
    self.key = key
    self.value = value
  }
}

/// A JSON number kept as its exact literal text, so no precision is lost before the consumer
/// decides how to read it (integer offsets must not pass through `Double`).
public struct JSONNumber: Sendable, Hashable, CustomStringConvertible {
  /// The literal exactly as written, e.g. `-12`, `0.5`, `1e-5`.
  public let literal: String

  /// Accepts only a literal that matches the JSON number grammar.
  public init?(literal: String) {
    guard JSONNumber.isValidLiteral(Array(literal.utf8)) else { return nil }
    self.literal = literal
  }

  public init(_ value: Int) { literal = String(value) }

  /// A finite double, written so that it reads back to the same value; `nil` for NaN or infinity,
  /// which JSON cannot represent.
  public init?(_ value: Double) {
    guard value.isFinite else { return nil }
    if value == value.rounded(), abs(value) < 1e15 {
      literal = String(Int(value))
    } else {
      literal = "\(value)"
    }
  }

  init(uncheckedLiteral: String) { literal = uncheckedLiteral }

  /// True when the literal has no fraction and no exponent (`3`, `-0`), even if it overflows `Int`.
  public var isInteger: Bool {
    !literal.utf8.contains {
      $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E")
    }
  }

  /// True when the literal starts with a minus sign (including `-0`).
  public var isNegative: Bool { literal.utf8.first == UInt8(ascii: "-") }

  /// The exact value of an integer literal; `nil` with a fraction or exponent, or beyond `Int`.
  public var intValue: Int? { isInteger ? Int(literal) : nil }

  /// The value as an integer of type `T` when it is exactly one: `3`, also `3.0` or `3e2` (as
  /// Foundation's JSONDecoder reads them); `nil` for `3.5`, or beyond `T`'s range.
  public func exactInteger<T: FixedWidthInteger>(as _: T.Type = T.self) -> T? {
    if isInteger { return T(literal) }
    let value = doubleValue
    guard value.isFinite, value == value.rounded(), abs(value) < 9.0e15 else { return nil }
    return T(exactly: value)
  }

  /// The nearest `Double` (±infinity when the magnitude overflows).
  public var doubleValue: Double { Double(literal) ?? .nan }

  public var description: String { literal }

  static func isValidLiteral(_ s: [UInt8]) -> Bool {
    var i = 0
    func digit(_ k: Int) -> Bool { k < s.count && s[k] >= 0x30 && s[k] <= 0x39 }
    if i < s.count, s[i] == UInt8(ascii: "-") { i += 1 }
    guard digit(i) else { return false }
    if s[i] == UInt8(ascii: "0") {
      i += 1
    } else {
      while digit(i) { i += 1 }
    }
    if i < s.count, s[i] == UInt8(ascii: ".") {
      i += 1
      guard digit(i) else { return false }
      while digit(i) { i += 1 }
    }
    if i < s.count, s[i] == UInt8(ascii: "e") || s[i] == UInt8(ascii: "E") {
      i += 1
      if i < s.count, s[i] == UInt8(ascii: "+") || s[i] == UInt8(ascii: "-") { i += 1 }
      guard digit(i) else { return false }
      while digit(i) { i += 1 }
    }
    return i == s.count
  }
}

/// A parsed JSON value. Objects keep their members in source order (and, unless the parser was told
/// otherwise, have unique keys).
public enum JSONValue: Sendable, Equatable {
  case object([JSONMember])
  case array([JSONValue])
  case string(String)
  case number(JSONNumber)
  case bool(Bool)
  case null

  /// "object", "array", "string", "number", "bool" or "null", for error messages.
  public var typeName: String {
    switch self {
    case .object: "object"
    case .array: "array"
    case .string: "string"
    case .number: "number"
    case .bool: "bool"
    case .null: "null"
    }
  }

  public var objectMembers: [JSONMember]? {
    if case .object(let members) = self { return members }
    return nil
  }

  public var arrayValue: [JSONValue]? {
    if case .array(let values) = self { return values }
    return nil
  }

  public var stringValue: String? {
    if case .string(let string) = self { return string }
    return nil
  }

  public var numberValue: JSONNumber? {
    if case .number(let number) = self { return number }
    return nil
  }

  public var boolValue: Bool? {
    if case .bool(let bool) = self { return bool }
    return nil
  }

  public var isNull: Bool {
    if case .null = self { return true }
    return false
  }

  /// The value of the first member named `key`; `nil` for a missing key or a non-object. Keys
  /// compare byte for byte (as Python's json does), not up to Unicode canonical equivalence.
  public subscript(key: String) -> JSONValue? {
    objectMembers?.first { $0.key.utf8.elementsEqual(key.utf8) }?.value
  }
}

/// Why a JSON text was rejected: what, and where — a byte offset and the 1-based line and column
/// (columns count Unicode scalars, as Python's json counts characters).
public struct JSONParseError: Error, Sendable, Equatable, CustomStringConvertible {
  public enum Kind: Sendable, Equatable {
    case invalidUTF8
    case syntax
    case tooDeep
    case duplicateKey
    /// The text starts with a UTF-8 byte order mark (EF BB BF).
    case byteOrderMark
  }

  public let kind: Kind
  public let offset: Int
  public let message: String
  /// 1-based; 0 when the error was made without the input at hand.
  public internal(set) var line = 0
  public internal(set) var column = 0

  public init(kind: Kind, offset: Int, message: String) {
    self.kind = kind
    self.offset = offset
    self.message = message
  }

  /// Line and column follow from the offset, so equality compares what, and at which byte.
  public static func == (lhs: JSONParseError, rhs: JSONParseError) -> Bool {
    lhs.kind == rhs.kind && lhs.offset == rhs.offset && lhs.message == rhs.message
  }

  /// The position as text: `line 3, column 5 (byte 17)`, or `byte 17` without a line.
  public var position: String {
    line > 0 ? "line \(line), column \(column) (byte \(offset))" : "byte \(offset)"
  }

  /// One line, control characters escaped, e.g. `unexpected end of input at line 2, column 1 (byte 17)`.
  public var description: String { escapeControlCharacters("\(message) at \(position)") }

  /// The same error with its line and column counted in `bytes`.
  func located(in bytes: UnsafeBufferPointer<UInt8>) -> JSONParseError {
    var copy = self
    let end = min(max(offset, 0), bytes.count)
    var line = 1
    var lineStart = 0
    for k in 0..<end where bytes[k] == 0x0A {
      line += 1
      lineStart = k + 1
    }
    // Columns count scalars: every byte that is not a UTF-8 continuation byte starts one.
    var column = 1
    for k in lineStart..<end where bytes[k] & 0xC0 != 0x80 { column += 1 }
    copy.line = line
    copy.column = column
    return copy
  }
}

extension JSONValue {
  /// The default maximum nesting depth of arrays and objects (the top-level container is depth 1).
  public static let defaultMaxDepth = 64

  /// Parses exactly one JSON value from UTF-8 bytes.
  /// - Parameters:
  ///   - maxDepth: containers nested deeper than this are rejected (`.tooDeep`).
  ///   - rejectDuplicateKeys: when true (the default) an object with a repeated key is rejected
  ///     (`.duplicateKey`); when false every member is kept, in order. Keys are compared as Swift
  ///     strings, i.e. up to Unicode canonical equivalence.
  public static func parse<Bytes: Collection<UInt8>>(
    _ bytes: Bytes, maxDepth: Int = defaultMaxDepth, rejectDuplicateKeys: Bool = true
  ) throws(JSONParseError) -> JSONValue {
    let result: Result<JSONValue, JSONParseError>? = bytes.withContiguousStorageIfAvailable {
      buffer in
      parseBuffer(buffer, maxDepth: maxDepth, rejectDuplicateKeys: rejectDuplicateKeys)
    }
    let resolved =
      result
      ?? Array(bytes).withUnsafeBufferPointer { buffer in
        parseBuffer(buffer, maxDepth: maxDepth, rejectDuplicateKeys: rejectDuplicateKeys)
      }
    return try resolved.get()
  }

  /// Parses exactly one JSON value from a string.
  public static func parse(
    _ text: String, maxDepth: Int = defaultMaxDepth, rejectDuplicateKeys: Bool = true
  ) throws(JSONParseError) -> JSONValue {
    try parse(Array(text.utf8), maxDepth: maxDepth, rejectDuplicateKeys: rejectDuplicateKeys)
  }

  private static func parseBuffer(
    _ buffer: UnsafeBufferPointer<UInt8>, maxDepth: Int, rejectDuplicateKeys: Bool
  ) -> Result<JSONValue, JSONParseError> {
    // Python's json (and so transformers) refuses a BOM too; say so rather than "unexpected byte".
    if buffer.starts(with: [0xEF, 0xBB, 0xBF]) {
      return .failure(
        JSONParseError(
          kind: .byteOrderMark, offset: 0,
          message: "starts with a UTF-8 byte order mark (EF BB BF), which JSON does not allow; "
            + "save it as UTF-8 without a BOM"
        ).located(in: buffer))
    }
    if let bad = firstInvalidUTF8Offset(buffer) {
      return .failure(
        JSONParseError(kind: .invalidUTF8, offset: bad, message: "invalid UTF-8").located(in: buffer))
    }
    var parser = JSONParser(
      bytes: buffer, maxDepth: maxDepth, rejectDuplicateKeys: rejectDuplicateKeys)
    do throws(JSONParseError) {
      return .success(try parser.parseDocument())
    } catch {
      return .failure(error.located(in: buffer))
    }
  }

  /// Compact JSON text: no whitespace, members in stored order, non-ASCII kept as UTF-8, `"`, `\`
  /// and control characters escaped. Recursive: meant for values of bounded depth (anything `parse`
  /// returns is at most `maxDepth` deep).
  public func serialized() -> String {
    var out: [UInt8] = []
    appendSerialized(to: &out)
    return String(decoding: out, as: UTF8.self)
  }

  /// Appends the compact serialisation (see `serialized()`) as UTF-8 bytes.
  public func appendSerialized(to out: inout [UInt8]) {
    switch self {
    case .object(let members):
      out.append(UInt8(ascii: "{"))
      for (index, member) in members.enumerated() {
        if index > 0 { out.append(UInt8(ascii: ",")) }
        JSONValue.appendQuoted(member.key, to: &out)
        out.append(UInt8(ascii: ":"))
        member.value.appendSerialized(to: &out)
      }
      out.append(UInt8(ascii: "}"))
    case .array(let values):
      out.append(UInt8(ascii: "["))
      for (index, value) in values.enumerated() {
        if index > 0 { out.append(UInt8(ascii: ",")) }
        value.appendSerialized(to: &out)
      }
      out.append(UInt8(ascii: "]"))
    case .string(let string):
      JSONValue.appendQuoted(string, to: &out)
    case .number(let number):
      out.append(contentsOf: number.literal.utf8)
    case .bool(let bool):
      out.append(contentsOf: (bool ? "true" : "false").utf8)
    case .null:
      out.append(contentsOf: "null".utf8)
    }
  }

  static func appendQuoted(_ string: String, to out: inout [UInt8]) {
    let hex = Array("0123456789abcdef".utf8)
    out.append(UInt8(ascii: "\""))
    for byte in string.utf8 {
      switch byte {
      case UInt8(ascii: "\""): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
      case UInt8(ascii: "\\"): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
      case 0x0A: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
      case 0x0D: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
      case 0x09: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
      case 0x00..<0x20:
        out.append(contentsOf: Array("\\u00".utf8))
        out.append(hex[Int(byte >> 4)])
        out.append(hex[Int(byte & 0xF)])
      default: out.append(byte)
      }
    }
    out.append(UInt8(ascii: "\""))
  }
}

/// The offset of the first byte that starts an ill-formed UTF-8 sequence, or `nil` if all is valid.
func firstInvalidUTF8Offset(_ b: UnsafeBufferPointer<UInt8>) -> Int? {
  var i = 0
  let n = b.count
  while i < n {
    let lead = b[i]
    if lead < 0x80 {
      i += 1
      continue
    }
    let length: Int
    var low: UInt8 = 0x80  // allowed range of the second byte
    var high: UInt8 = 0xBF
    switch lead {
    case 0xC2...0xDF: length = 2
    case 0xE0:
      length = 3
      low = 0xA0  // no overlongs
    case 0xE1...0xEC, 0xEE...0xEF: length = 3
    case 0xED:
      length = 3
      high = 0x9F  // no UTF-16 surrogates
    case 0xF0:
      length = 4
      low = 0x90  // no overlongs
    case 0xF1...0xF3: length = 4
    case 0xF4:
      length = 4
      high = 0x8F  // nothing above U+10FFFF
    default: return i
    }
    guard n - i >= length, b[i + 1] >= low, b[i + 1] <= high else { return i }
    for k in 2..<length where b[i + k] & 0xC0 != 0x80 { return i }
    i += length
  }
  return nil
}
