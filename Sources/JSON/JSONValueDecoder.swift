// A Swift `Decoder` over `JSONValue`, so Codable types (ModelConfig, VisionSettings) are read through
// the project's one strict parser. Errors name the key path and what was found there:
// `"vision.class_names": expected an array, found a string "cat"`, `missing "d_model"`.
// Numbers convert exactly: an `Int` field refuses 512.5 and 1e30 (3.0 and 3e2 are accepted, as
// Foundation's JSONDecoder accepts them); a `Float` field refuses values beyond Float's range.
import FileInput

/// Decodes `Decodable` types from parsed JSON.
public struct JSONValueDecoder: Sendable {
  /// Nesting limit for `decode(_:from:)` on bytes, as for `JSONValue.parse`.
  public var maxDepth = JSONValue.defaultMaxDepth

  public init() {}

  /// Decodes `type` from an already parsed value.
  public func decode<T: Decodable>(_ type: T.Type, from value: JSONValue) throws(JSONDecodingError) -> T {
    do {
      return try T(from: ValueDecoder(value: value, codingPath: []))
    } catch let error as DecodingError {
      throw JSONDecodingError(error, root: value)
    } catch let error as JSONDecodingError {
      throw error
    } catch {
      throw JSONDecodingError(path: [], problem: .other("\(error)"))
    }
  }

  /// Parses UTF-8 `bytes`, then decodes `type` from them.
  public func decode<T: Decodable, Bytes: Collection<UInt8>>(_ type: T.Type, from bytes: Bytes)
    throws(JSONDecodingError) -> T
  {
    let value: JSONValue
    do { value = try JSONValue.parse(bytes, maxDepth: maxDepth) } catch {
      throw JSONDecodingError(path: [], problem: .notJSON(error))
    }
    return try decode(type, from: value)
  }
}

/// Why decoding failed, with the path of the value at fault.
public struct JSONDecodingError: Error, Sendable, Equatable, CustomStringConvertible {
  public enum Problem: Sendable, Equatable {
    /// The text is not JSON at all.
    case notJSON(JSONParseError)
    /// A required key is absent (the path ends with it).
    case missingKey
    /// The value is of the wrong type or out of the field's range; the text says which.
    case wrongValue(String)
    case other(String)
  }

  /// Keys from the root, array indices as "[3]".
  public let path: [String]
  public let problem: Problem

  public init(path: [String], problem: Problem) {
    self.path = path
    self.problem = problem
  }

  /// `vision.class_names[2]`; empty for the root.
  public var pathText: String {
    var text = ""
    for part in path {
      if part.hasPrefix("[") || text.isEmpty { text += part } else { text += "." + part }
    }
    return text
  }

  /// One line without the file name: `not valid JSON (…)`, `missing "d_model"`,
  /// `"d_model": expected a whole number, found 512.5`.
  public var description: String {
    let subject = pathText.isEmpty ? "the top level" : "\"\(pathText)\""
    let line: String
    switch problem {
    case .notJSON(let error): line = "not valid JSON (\(error.description))"
    case .missingKey: line = "missing \(subject)"
    case .wrongValue(let text): line = "\(subject): \(text)"
    case .other(let text): line = pathText.isEmpty ? text : "\(subject): \(text)"
    }
    return escapeControlCharacters(line)
  }

  init(_ error: DecodingError, root: JSONValue) {
    func names(_ path: [any CodingKey]) -> [String] {
      path.map { key in key is JSONIndexKey ? "[\(key.intValue!)]" : key.stringValue }
    }
    switch error {
    case .keyNotFound(let key, let context):
      self.init(path: names(context.codingPath + [key]), problem: .missingKey)
    case .typeMismatch(_, let context), .valueNotFound(_, let context):
      self.init(path: names(context.codingPath), problem: .wrongValue(context.debugDescription))
    case .dataCorrupted(let context):
      // Our containers write their own text; a RawRepresentable enum's own init says "Cannot
      // initialize X from invalid String value y": show the value instead.
      let found =
        root.value(at: context.codingPath).map {
          $0.stringValue.map { "\"\($0)\"" } ?? JSONValue.describe($0)
        }
        ?? "?"
      let text =
        context.debugDescription.hasPrefix("Cannot initialize")
        ? "invalid value \(found)" : context.debugDescription
      self.init(path: names(context.codingPath), problem: .wrongValue(text))
    @unknown default:
      self.init(path: [], problem: .other("\(error)"))
    }
  }
}

extension JSONValue {
  /// A short rendering for messages: `a string "cat"`, `512.5`, `true`, `null`, `an array`.
  static func describe(_ value: JSONValue) -> String {
    switch value {
    case .object: return "an object"
    case .array: return "an array"
    case .string(let text):
      let shown = text.count > 40 ? String(text.prefix(40)) + "…" : text
      return "a string \"\(shown)\""
    case .number(let number): return number.literal
    case .bool(let flag): return flag ? "true" : "false"
    case .null: return "null"
    }
  }

  /// The value at a coding path, for messages.
  func value(at path: [any CodingKey]) -> JSONValue? {
    var current = self
    for key in path {
      if key is JSONIndexKey, let index = key.intValue, let array = current.arrayValue,
        array.indices.contains(index)
      {
        current = array[index]
      } else if let next = current[key.stringValue] {
        current = next
      } else {
        return nil
      }
    }
    return current
  }
}

/// The key of an array element in a coding path.
struct JSONIndexKey: CodingKey {
  let intValue: Int?
  var stringValue: String { "[\(intValue ?? 0)]" }
  init(index: Int) { intValue = index }
  init?(stringValue: String) { nil }
  init?(intValue: Int) { self.intValue = intValue }
}

private func mismatch(_ expected: String, _ value: JSONValue, _ path: [any CodingKey]) -> DecodingError {
  DecodingError.typeMismatch(
    Any.self,
    DecodingError.Context(
      codingPath: path, debugDescription: "expected \(expected), found \(JSONValue.describe(value))"))
}

/// Reads one value as a scalar of the requested type, exactly.
private struct Scalars {
  let value: JSONValue
  let path: [any CodingKey]

  func bool() throws -> Bool {
    guard let flag = value.boolValue else { throw mismatch("true or false", value, path) }
    return flag
  }

  func string() throws -> String {
    guard let text = value.stringValue else { throw mismatch("a string", value, path) }
    return text
  }

  func double() throws -> Double {
    guard let number = value.numberValue else { throw mismatch("a number", value, path) }
    let result = number.doubleValue
    guard result.isFinite else { throw mismatch("a number within Double's range", value, path) }
    return result
  }

  func float() throws -> Float {
    let wide = try double()
    let result = Float(wide)
    guard result.isFinite else { throw mismatch("a number within Float's range", value, path) }
    return result
  }

  func integer<T: FixedWidthInteger>(_: T.Type) throws -> T {
    guard let number = value.numberValue else { throw mismatch("a whole number", value, path) }
    if let result = number.exactInteger(as: T.self) { return result }
    if number.exactInteger(as: Int.self) != nil || (number.isInteger && number.intValue == nil) {
      throw mismatch("a whole number from \(T.min) to \(T.max)", value, path)
    }
    throw mismatch("a whole number", value, path)
  }

  func decode<T: Decodable>(_ type: T.Type) throws -> T {
    // The scalar types directly, so their errors carry our wording; everything else recursively.
    switch type {
    case is Bool.Type: return try bool() as! T
    case is String.Type: return try string() as! T
    case is Double.Type: return try double() as! T
    case is Float.Type: return try float() as! T
    case is Int.Type: return try integer(Int.self) as! T
    case is Int8.Type: return try integer(Int8.self) as! T
    case is Int16.Type: return try integer(Int16.self) as! T
    case is Int32.Type: return try integer(Int32.self) as! T
    case is Int64.Type: return try integer(Int64.self) as! T
    case is UInt.Type: return try integer(UInt.self) as! T
    case is UInt8.Type: return try integer(UInt8.self) as! T
    case is UInt16.Type: return try integer(UInt16.self) as! T
    case is UInt32.Type: return try integer(UInt32.self) as! T
    case is UInt64.Type: return try integer(UInt64.self) as! T
    default: return try T(from: ValueDecoder(value: value, codingPath: path))
    }
  }
}

private struct ValueDecoder: Decoder {
  let value: JSONValue
  let codingPath: [any CodingKey]
  var userInfo: [CodingUserInfoKey: Any] { [:] }

  func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
    guard let members = value.objectMembers else { throw mismatch("an object", value, codingPath) }
    return KeyedDecodingContainer(KeyedContainer<Key>(members: members, codingPath: codingPath))
  }

  func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
    guard let values = value.arrayValue else { throw mismatch("an array", value, codingPath) }
    return UnkeyedContainer(values: values, codingPath: codingPath)
  }

  func singleValueContainer() throws -> any SingleValueDecodingContainer {
    SingleContainer(value: value, codingPath: codingPath)
  }
}

private struct SingleContainer: SingleValueDecodingContainer {
  let value: JSONValue
  let codingPath: [any CodingKey]

  func decodeNil() -> Bool { value.isNull }
  func decode<T: Decodable>(_ type: T.Type) throws -> T {
    try Scalars(value: value, path: codingPath).decode(type)
  }
}

private struct KeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
  let members: [JSONMember]
  let codingPath: [any CodingKey]
  /// The first member of each key (duplicates are refused by the parser's default).
  private let index: [String: Int]

  init(members: [JSONMember], codingPath: [any CodingKey]) {
    self.members = members
    self.codingPath = codingPath
    var index: [String: Int] = [:]
    for (position, member) in members.enumerated() where index[member.key] == nil {
      index[member.key] = position
    }
    self.index = index
  }

  var allKeys: [Key] { members.compactMap { Key(stringValue: $0.key) } }

  func contains(_ key: Key) -> Bool { index[key.stringValue] != nil }

  private func member(_ key: Key) throws -> JSONValue {
    guard let position = index[key.stringValue] else {
      throw DecodingError.keyNotFound(
        key, DecodingError.Context(codingPath: codingPath, debugDescription: "missing"))
    }
    return members[position].value
  }

  func decodeNil(forKey key: Key) throws -> Bool { try member(key).isNull }

  func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
    try Scalars(value: try member(key), path: codingPath + [key]).decode(type)
  }

  func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws
    -> KeyedDecodingContainer<NestedKey>
  {
    try ValueDecoder(value: try member(key), codingPath: codingPath + [key]).container(keyedBy: type)
  }

  func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
    try ValueDecoder(value: try member(key), codingPath: codingPath + [key]).unkeyedContainer()
  }

  func superDecoder() throws -> any Decoder {
    ValueDecoder(value: .object(members), codingPath: codingPath)
  }

  func superDecoder(forKey key: Key) throws -> any Decoder {
    ValueDecoder(value: (try? member(key)) ?? .null, codingPath: codingPath + [key])
  }
}

private struct UnkeyedContainer: UnkeyedDecodingContainer {
  let values: [JSONValue]
  let codingPath: [any CodingKey]
  var currentIndex = 0

  init(values: [JSONValue], codingPath: [any CodingKey]) {
    self.values = values
    self.codingPath = codingPath
  }

  var count: Int? { values.count }
  var isAtEnd: Bool { currentIndex >= values.count }

  private mutating func next() throws -> (JSONValue, [any CodingKey]) {
    let path = codingPath + [JSONIndexKey(index: currentIndex)]
    guard !isAtEnd else {
      throw DecodingError.valueNotFound(
        Any.self,
        DecodingError.Context(codingPath: path, debugDescription: "the array has only \(values.count) items"))
    }
    defer { currentIndex += 1 }
    return (values[currentIndex], path)
  }

  mutating func decodeNil() throws -> Bool {
    guard !isAtEnd, values[currentIndex].isNull else { return false }
    currentIndex += 1
    return true
  }

  mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
    let (value, path) = try next()
    return try Scalars(value: value, path: path).decode(type)
  }

  mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws
    -> KeyedDecodingContainer<NestedKey>
  {
    let (value, path) = try next()
    return try ValueDecoder(value: value, codingPath: path).container(keyedBy: type)
  }

  mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
    let (value, path) = try next()
    return try ValueDecoder(value: value, codingPath: path).unkeyedContainer()
  }

  mutating func superDecoder() throws -> any Decoder {
    let (value, path) = try next()
    return ValueDecoder(value: value, codingPath: path)
  }
}
