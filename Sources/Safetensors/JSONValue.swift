// A small strict JSON (RFC 8259) parser and serialiser for untrusted headers and config files.
//
// Strictness: the whole input must be valid UTF-8 (no overlong forms, no encoded surrogates,
// nothing above U+10FFFF); exactly one value surrounded only by JSON whitespace; no control
// characters inside strings; only the standard escapes; `\u` surrogates must pair; numbers follow
// the JSON grammar (no leading zeros, no `+`, no bare `.`); nesting is limited (default 64) and
// parsing uses an explicit stack, so deep input cannot overflow the call stack.

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

  /// The value of the first member named `key`; `nil` for a missing key or a non-object.
  public subscript(key: String) -> JSONValue? {
    objectMembers?.first { $0.key == key }?.value
  }
}

/// Why a JSON text was rejected. `offset` is a byte offset into the input.
public struct JSONParseError: Error, Sendable, Equatable, CustomStringConvertible {
  public enum Kind: Sendable, Equatable {
    case invalidUTF8
    case syntax
    case tooDeep
    case duplicateKey
  }

  public let kind: Kind
  public let offset: Int
  public let message: String

  public init(kind: Kind, offset: Int, message: String) {
    self.kind = kind
    self.offset = offset
    self.message = message
  }

  /// One line, control characters escaped, e.g. `unexpected end of input at byte 17`.
  public var description: String { escapeControlCharacters("\(message) at byte \(offset)") }
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
    if let bad = firstInvalidUTF8Offset(buffer) {
      return .failure(JSONParseError(kind: .invalidUTF8, offset: bad, message: "invalid UTF-8"))
    }
    var parser = JSONParser(
      bytes: buffer, maxDepth: maxDepth, rejectDuplicateKeys: rejectDuplicateKeys)
    do throws(JSONParseError) {
      return .success(try parser.parseDocument())
    } catch {
      return .failure(error)
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

/// Escapes characters that would break a one-line message or drive a terminal: C0/C1 controls,
/// DEL and the Unicode line/paragraph separators become `\u{XX}`.
func escapeControlCharacters(_ text: String) -> String {
  guard text.unicodeScalars.contains(where: needsEscape) else { return text }
  var out = String.UnicodeScalarView()
  for scalar in text.unicodeScalars {
    if needsEscape(scalar) {
      let hex = String(scalar.value, radix: 16, uppercase: true)
      out.append(contentsOf: "\\u{\(hex.count < 2 ? "0" + hex : hex)}".unicodeScalars)
    } else {
      out.append(scalar)
    }
  }
  return String(out)
}

private func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
  switch scalar.value {
  case 0x00..<0x20, 0x7F...0x9F, 0x2028, 0x2029: true
  default: false
  }
}

/// The iterative parser proper. `bytes` is known to be valid UTF-8.
private struct JSONParser {
  private struct Frame {
    var isObject: Bool
    var values: [JSONValue] = []
    var members: [JSONMember] = []
    var keys: Set<String> = []
    var pendingKey = ""
  }

  let bytes: UnsafeBufferPointer<UInt8>
  let maxDepth: Int
  let rejectDuplicateKeys: Bool
  var i = 0

  init(bytes: UnsafeBufferPointer<UInt8>, maxDepth: Int, rejectDuplicateKeys: Bool) {
    self.bytes = bytes
    self.maxDepth = maxDepth
    self.rejectDuplicateKeys = rejectDuplicateKeys
  }

  private func fail(_ message: String, at offset: Int? = nil) -> JSONParseError {
    JSONParseError(kind: .syntax, offset: offset ?? i, message: message)
  }

  private func unexpected() -> JSONParseError {
    guard i < bytes.count else { return fail("unexpected end of input") }
    let byte = bytes[i]
    if byte >= 0x20 && byte < 0x7F {
      return fail("unexpected character '\(Character(Unicode.Scalar(byte)))'")
    }
    return fail("unexpected byte 0x\(String(byte, radix: 16, uppercase: true))")
  }

  private mutating func skipWhitespace() {
    while i < bytes.count {
      switch bytes[i] {
      case 0x20, 0x09, 0x0A, 0x0D: i += 1
      default: return
      }
    }
  }

  private func peek() -> UInt8? { i < bytes.count ? bytes[i] : nil }

  mutating func parseDocument() throws(JSONParseError) -> JSONValue {
    var stack: [Frame] = []
    var completed: JSONValue

    parseValue: while true {
      // Parse the start of a value; containers push a frame and loop back for their first element.
      skipWhitespace()
      guard let byte = peek() else { throw unexpected() }
      switch byte {
      case UInt8(ascii: "{"), UInt8(ascii: "["):
        guard stack.count < maxDepth else {
          throw JSONParseError(
            kind: .tooDeep, offset: i, message: "nesting deeper than \(maxDepth) levels")
        }
        let isObject = byte == UInt8(ascii: "{")
        i += 1
        stack.append(Frame(isObject: isObject))
        skipWhitespace()
        if peek() == (isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")) {
          i += 1
          let frame = stack.removeLast()
          completed = isObject ? .object(frame.members) : .array(frame.values)
        } else if isObject {
          try parseKey(into: &stack[stack.count - 1])
          continue parseValue
        } else {
          continue parseValue
        }
      case UInt8(ascii: "\""):
        completed = .string(try parseString())
      case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
        completed = .number(try parseNumber())
      case UInt8(ascii: "t"):
        try expectLiteral("true")
        completed = .bool(true)
      case UInt8(ascii: "f"):
        try expectLiteral("false")
        completed = .bool(false)
      case UInt8(ascii: "n"):
        try expectLiteral("null")
        completed = .null
      default:
        throw unexpected()
      }

      // Attach the completed value to its parent; close containers as long as they end here.
      while true {
        guard !stack.isEmpty else {
          skipWhitespace()
          guard i == bytes.count else { throw fail("trailing characters after the JSON value") }
          return completed
        }
        let top = stack.count - 1
        if stack[top].isObject {
          let key = stack[top].pendingKey
          stack[top].members.append(JSONMember(key: key, value: completed))
        } else {
          stack[top].values.append(completed)
        }
        skipWhitespace()
        guard let byte = peek() else { throw unexpected() }
        if byte == UInt8(ascii: ",") {
          i += 1
          if stack[top].isObject {
            skipWhitespace()
            try parseKey(into: &stack[top])
          }
          continue parseValue
        }
        let close = stack[top].isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")
        guard byte == close else { throw unexpected() }
        i += 1
        let frame = stack.removeLast()
        completed = frame.isObject ? .object(frame.members) : .array(frame.values)
      }
    }
  }

  /// Parses `"key"` and the following `:`, leaving the key pending in `frame`.
  private mutating func parseKey(into frame: inout Frame) throws(JSONParseError) {
    guard peek() == UInt8(ascii: "\"") else {
      throw i < bytes.count ? fail("expected a string key") : unexpected()
    }
    let start = i
    let key = try parseString()
    if rejectDuplicateKeys {
      guard frame.keys.insert(key).inserted else {
        throw JSONParseError(
          kind: .duplicateKey, offset: start, message: "duplicate key '\(key)'")
      }
    }
    skipWhitespace()
    guard peek() == UInt8(ascii: ":") else {
      throw i < bytes.count ? fail("expected ':' after an object key") : unexpected()
    }
    i += 1
    frame.pendingKey = key
  }

  private mutating func expectLiteral(_ word: StaticString) throws(JSONParseError) {
    let start = i
    let count = word.utf8CodeUnitCount
    let matches = word.withUTF8Buffer { expected in
      bytes.count - i >= count && (0..<count).allSatisfy { bytes[i + $0] == expected[$0] }
    }
    guard matches else { throw fail("invalid literal", at: start) }
    i += count
  }

  private mutating func parseNumber() throws(JSONParseError) -> JSONNumber {
    let start = i
    func isDigit(_ b: UInt8?) -> Bool { b.map { $0 >= 0x30 && $0 <= 0x39 } ?? false }
    if peek() == UInt8(ascii: "-") { i += 1 }
    guard isDigit(peek()) else { throw fail("invalid number", at: start) }
    if peek() == UInt8(ascii: "0") {
      i += 1
      if isDigit(peek()) { throw fail("leading zero in number", at: start) }
    } else {
      while isDigit(peek()) { i += 1 }
    }
    if peek() == UInt8(ascii: ".") {
      i += 1
      guard isDigit(peek()) else { throw fail("expected a digit after '.'", at: i) }
      while isDigit(peek()) { i += 1 }
    }
    if peek() == UInt8(ascii: "e") || peek() == UInt8(ascii: "E") {
      i += 1
      if peek() == UInt8(ascii: "+") || peek() == UInt8(ascii: "-") { i += 1 }
      guard isDigit(peek()) else { throw fail("expected a digit in the exponent", at: i) }
      while isDigit(peek()) { i += 1 }
    }
    let literal = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self)
    return JSONNumber(uncheckedLiteral: literal)
  }

  private mutating func parseHex4() throws(JSONParseError) -> UInt32 {
    guard bytes.count - i >= 4 else { throw fail("truncated \\u escape") }
    var value: UInt32 = 0
    for _ in 0..<4 {
      let b = bytes[i]
      let digit: UInt32
      switch b {
      case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(b - UInt8(ascii: "0"))
      case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(b - UInt8(ascii: "a") + 10)
      case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(b - UInt8(ascii: "A") + 10)
      default: throw fail("invalid hex digit in \\u escape")
      }
      value = value << 4 | digit
      i += 1
    }
    return value
  }

  /// Parses a string starting at the opening quote.
  private mutating func parseString() throws(JSONParseError) -> String {
    i += 1  // opening quote
    var out: [UInt8] = []
    var runStart = i
    while true {
      guard i < bytes.count else { throw fail("unterminated string") }
      let byte = bytes[i]
      if byte == UInt8(ascii: "\"") {
        out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<i]))
        i += 1
        return String(decoding: out, as: UTF8.self)
      }
      if byte < 0x20 { throw fail("unescaped control character in string") }
      if byte != UInt8(ascii: "\\") {
        i += 1
        continue
      }
      out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<i]))
      let escapeStart = i
      i += 1
      guard i < bytes.count else { throw fail("unterminated string") }
      let kind = bytes[i]
      i += 1
      switch kind {
      case UInt8(ascii: "\""): out.append(UInt8(ascii: "\""))
      case UInt8(ascii: "\\"): out.append(UInt8(ascii: "\\"))
      case UInt8(ascii: "/"): out.append(UInt8(ascii: "/"))
      case UInt8(ascii: "b"): out.append(0x08)
      case UInt8(ascii: "f"): out.append(0x0C)
      case UInt8(ascii: "n"): out.append(0x0A)
      case UInt8(ascii: "r"): out.append(0x0D)
      case UInt8(ascii: "t"): out.append(0x09)
      case UInt8(ascii: "u"):
        var code = try parseHex4()
        if code >= 0xDC00 && code <= 0xDFFF {
          throw fail("unpaired low surrogate in \\u escape", at: escapeStart)
        }
        if code >= 0xD800 && code <= 0xDBFF {
          guard bytes.count - i >= 2, bytes[i] == UInt8(ascii: "\\"),
            bytes[i + 1] == UInt8(ascii: "u")
          else { throw fail("unpaired high surrogate in \\u escape", at: escapeStart) }
          i += 2
          let low = try parseHex4()
          guard low >= 0xDC00 && low <= 0xDFFF else {
            throw fail("unpaired high surrogate in \\u escape", at: escapeStart)
          }
          code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
        }
        // Valid scalar by construction (surrogates excluded above).
        out.append(contentsOf: String(Character(Unicode.Scalar(code)!)).utf8)
      default:
        let shown =
          kind >= 0x21 && kind < 0x7F
          ? "'\\\(Character(Unicode.Scalar(kind)))'"
          : "byte 0x\(String(kind, radix: 16, uppercase: true))"
        throw fail("invalid escape \(shown)", at: escapeStart)
      }
      runStart = i
    }
  }
}
