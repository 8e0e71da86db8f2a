// The iterative, explicit-stack JSON parser behind `JSONValue.parse` (RFC 8259, strict; see JSONValue.swift).

/// The iterative parser proper. `bytes` is known to be valid UTF-8.
struct JSONParser {
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
