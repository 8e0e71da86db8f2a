// A small strict JSON reader for tokenizer files (vocab.json, tokenizer.json, tokenizer_config.json).
// Objects keep their keys in file order and exactly as written: a Swift `[String: _]` would merge
// keys that are canonically equivalent ("é" and "e\u{301}"), which a vocabulary must keep apart.
// Grammar per RFC 8259; nesting is capped so hostile input cannot exhaust the stack.

enum JSONValue: Sendable, Equatable {
  case null
  case bool(Bool)
  case number(Double)
  case string(String)
  case array([JSONValue])
  case object([(key: String, value: JSONValue)])

  static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
    switch (lhs, rhs) {
    case (.null, .null): return true
    case (.bool(let a), .bool(let b)): return a == b
    case (.number(let a), .number(let b)): return a == b
    case (.string(let a), .string(let b)): return Array(a.utf8) == Array(b.utf8)
    case (.array(let a), .array(let b)): return a == b
    case (.object(let a), .object(let b)):
      return a.count == b.count
        && zip(a, b).allSatisfy { Array($0.key.utf8) == Array($1.key.utf8) && $0.value == $1.value }
    default: return false
    }
  }

  /// The first value under `key` (exact byte comparison).
  subscript(key: String) -> JSONValue? {
    guard case .object(let members) = self else { return nil }
    let wanted = Array(key.utf8)
    return members.first { Array($0.key.utf8) == wanted }?.value
  }

  var string: String? { if case .string(let s) = self { return s } else { return nil } }
  var bool: Bool? { if case .bool(let b) = self { return b } else { return nil } }
  var array: [JSONValue]? { if case .array(let a) = self { return a } else { return nil } }
  var members: [(key: String, value: JSONValue)]? {
    if case .object(let m) = self { return m } else { return nil }
  }
  /// A whole number that fits an Int, else nil.
  var integer: Int? {
    guard case .number(let d) = self, d.rounded() == d, abs(d) < 9.0e15 else { return nil }
    return Int(d)
  }
  /// A special-token entry: either "[CLS]" or {"content": "[CLS]", ...}.
  var tokenContent: String? { string ?? self["content"]?.string }
}

struct JSONReader {
  static let maximumDepth = 256
  private let bytes: [UInt8]
  private var index = 0

  /// Parses a whole document; `fileName` starts every error message.
  static func parse(_ bytes: [UInt8], fileName: String) throws(TokenizationError) -> JSONValue {
    var reader = JSONReader(bytes: bytes)
    do throws(JSONReader.Failure) {
      reader.skipWhitespace()
      let value = try reader.value(depth: 0)
      reader.skipWhitespace()
      guard reader.index == bytes.count else { throw Failure("unexpected text", reader.index) }
      return value
    } catch {
      throw TokenizationError("\(fileName): not valid JSON (\(error.reason) at byte \(error.offset))")
    }
  }

  struct Failure: Error {
    let reason: String
    let offset: Int
    init(_ reason: String, _ offset: Int) {
      self.reason = reason
      self.offset = offset
    }
  }

  private init(bytes: [UInt8]) { self.bytes = bytes }

  private mutating func skipWhitespace() {
    while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
  }

  private func peek() -> UInt8? { index < bytes.count ? bytes[index] : nil }

  private mutating func expect(_ literal: String) throws(Failure) {
    for byte in literal.utf8 {
      guard peek() == byte else { throw Failure("expected \(literal)", index) }
      index += 1
    }
  }

  private mutating func value(depth: Int) throws(Failure) -> JSONValue {
    guard depth < JSONReader.maximumDepth else { throw Failure("nested too deeply", index) }
    switch peek() {
    case UInt8(ascii: "{"): return try object(depth: depth)
    case UInt8(ascii: "["): return try array(depth: depth)
    case UInt8(ascii: "\""): return .string(try string())
    case UInt8(ascii: "t"):
      try expect("true")
      return .bool(true)
    case UInt8(ascii: "f"):
      try expect("false")
      return .bool(false)
    case UInt8(ascii: "n"):
      try expect("null")
      return .null
    case .some(let byte) where byte == UInt8(ascii: "-") || (0x30...0x39).contains(byte):
      return .number(try number())
    case .some: throw Failure("unexpected character", index)
    case .none: throw Failure("unexpected end", index)
    }
  }

  private mutating func object(depth: Int) throws(Failure) -> JSONValue {
    index += 1
    var members: [(key: String, value: JSONValue)] = []
    skipWhitespace()
    if peek() == UInt8(ascii: "}") {
      index += 1
      return .object(members)
    }
    while true {
      skipWhitespace()
      guard peek() == UInt8(ascii: "\"") else { throw Failure("expected a key", index) }
      let key = try string()
      skipWhitespace()
      try expect(":")
      skipWhitespace()
      members.append((key, try value(depth: depth + 1)))
      skipWhitespace()
      if peek() == UInt8(ascii: ",") {
        index += 1
        continue
      }
      try expect("}")
      return .object(members)
    }
  }

  private mutating func array(depth: Int) throws(Failure) -> JSONValue {
    index += 1
    var elements: [JSONValue] = []
    skipWhitespace()
    if peek() == UInt8(ascii: "]") {
      index += 1
      return .array(elements)
    }
    while true {
      skipWhitespace()
      elements.append(try value(depth: depth + 1))
      skipWhitespace()
      if peek() == UInt8(ascii: ",") {
        index += 1
        continue
      }
      try expect("]")
      return .array(elements)
    }
  }

  private mutating func number() throws(Failure) -> Double {
    let start = index
    if peek() == UInt8(ascii: "-") { index += 1 }
    func digits(_ reader: inout JSONReader) -> Int {
      let from = reader.index
      while let b = reader.peek(), (0x30...0x39).contains(b) { reader.index += 1 }
      return reader.index - from
    }
    guard digits(&self) > 0 else { throw Failure("bad number", index) }
    if peek() == UInt8(ascii: ".") {
      index += 1
      guard digits(&self) > 0 else { throw Failure("bad number", index) }
    }
    if peek() == UInt8(ascii: "e") || peek() == UInt8(ascii: "E") {
      index += 1
      if peek() == UInt8(ascii: "+") || peek() == UInt8(ascii: "-") { index += 1 }
      guard digits(&self) > 0 else { throw Failure("bad number", index) }
    }
    let text = String(decoding: bytes[start..<index], as: UTF8.self)
    guard let value = Double(text) else { throw Failure("bad number", start) }
    return value
  }

  private mutating func hex4() throws(Failure) -> UInt32 {
    guard index + 4 <= bytes.count else { throw Failure("short \\u escape", index) }
    var value: UInt32 = 0
    for _ in 0..<4 {
      let b = bytes[index]
      let digit: UInt8
      switch b {
      case 0x30...0x39: digit = b - 0x30
      case 0x41...0x46: digit = b - 0x41 + 10
      case 0x61...0x66: digit = b - 0x61 + 10
      default: throw Failure("bad \\u escape", index)
      }
      value = value << 4 | UInt32(digit)
      index += 1
    }
    return value
  }

  private mutating func string() throws(Failure) -> String {
    index += 1
    var utf8: [UInt8] = []
    while true {
      guard let byte = peek() else { throw Failure("unterminated string", index) }
      index += 1
      switch byte {
      case UInt8(ascii: "\""):
        guard let text = String(validating: utf8, as: UTF8.self) else {
          throw Failure("string is not valid UTF-8", index)
        }
        return text
      case UInt8(ascii: "\\"):
        guard let escape = peek() else { throw Failure("unterminated string", index) }
        index += 1
        switch escape {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): utf8.append(escape)
        case UInt8(ascii: "b"): utf8.append(0x08)
        case UInt8(ascii: "f"): utf8.append(0x0C)
        case UInt8(ascii: "n"): utf8.append(0x0A)
        case UInt8(ascii: "r"): utf8.append(0x0D)
        case UInt8(ascii: "t"): utf8.append(0x09)
        case UInt8(ascii: "u"):
          var code = try hex4()
          if (0xD800..<0xDC00).contains(code), bytes[index...].starts(with: [0x5C, 0x75]) {
            let save = index
            index += 2
            let low = try hex4()
            if (0xDC00..<0xE000).contains(low) {
              code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
            } else {
              index = save
            }
          }
          // A lone surrogate cannot be stored in a String; Python's json writes none for text.
          let scalar = Unicode.Scalar(code) ?? "\u{FFFD}"
          utf8.append(contentsOf: Array(String(Character(scalar)).utf8))
        default: throw Failure("bad escape", index - 1)
        }
      case 0x00..<0x20: throw Failure("control character in string", index - 1)
      default: utf8.append(byte)
      }
    }
  }
}
