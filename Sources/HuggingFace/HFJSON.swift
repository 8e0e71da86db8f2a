// Typed reads of a Hugging Face JSON file (config.json, generation_config.json,
// preprocessor_config.json): every failure is one line naming the file and the key.
import FileInput
import Foundation
import JSON
import Transformer

/// One parsed JSON object and the file it came from.
struct HFJSON: Sendable {
  let file: String
  let value: JSONValue

  /// Reads and parses `name` in `folder`; a missing file is named.
  static func load(_ folder: URL, _ name: String) throws(ModelError) -> HFJSON {
    let path = folder.appendingPathComponent(name).path
    let data: [UInt8]
    do { data = try InputFile.read(path, limit: InputFile.Limit.jsonConfig) } catch {
      // Only a file that is not there is "missing"; a directory or FIFO says what it is.
      if error.isMissing { throw ModelError("\(folder.lastPathComponent): missing \(name)") }
      throw ModelError("\(name): cannot read \(path): \(error.description)")
    }
    let value: JSONValue
    do { value = try JSONValue.parse(data) } catch {
      throw ModelError("\(name): not valid JSON: \(error.description)")
    }
    guard value.objectMembers != nil else { throw ModelError("\(name): must be a JSON object") }
    return HFJSON(file: name, value: value)
  }

  func has(_ key: String) -> Bool { value[key].map { !$0.isNull } ?? false }

  func int(_ key: String) throws(ModelError) -> Int? {
    guard let raw = value[key], !raw.isNull else { return nil }
    guard let number = raw.numberValue?.intValue else {
      throw ModelError("\(file): \"\(key)\" must be a whole number")
    }
    return number
  }

  func int(_ key: String, default fallback: Int) throws(ModelError) -> Int {
    try int(key) ?? fallback
  }

  func required(_ key: String) throws(ModelError) -> Int {
    guard let number = try int(key) else { throw ModelError("\(file): missing \"\(key)\"") }
    return number
  }

  /// A size: a whole number in `range` (one of `ConfigLimits`), checked before anything uses it —
  /// every mapping reads its sizes through these, so none reaches arithmetic or an allocation unchecked.
  func size(_ key: String, in range: ClosedRange<Int>) throws(ModelError) -> Int? {
    guard let number = try int(key) else { return nil }
    return try ConfigLimits.check(number, in: range, key: key, file: file)
  }

  func size(_ key: String, in range: ClosedRange<Int>, default fallback: Int) throws(ModelError) -> Int {
    try size(key, in: range) ?? fallback
  }

  func requiredSize(_ key: String, in range: ClosedRange<Int>) throws(ModelError) -> Int {
    guard let number = try size(key, in: range) else { throw ModelError("\(file): missing \"\(key)\"") }
    return number
  }

  func double(_ key: String) throws(ModelError) -> Double? {
    guard let raw = value[key], !raw.isNull else { return nil }
    guard let number = raw.numberValue else { throw ModelError("\(file): \"\(key)\" must be a number") }
    return number.doubleValue
  }

  func string(_ key: String) throws(ModelError) -> String? {
    guard let raw = value[key], !raw.isNull else { return nil }
    guard let text = raw.stringValue else { throw ModelError("\(file): \"\(key)\" must be a string") }
    return text
  }

  func bool(_ key: String) throws(ModelError) -> Bool? {
    guard let raw = value[key], !raw.isNull else { return nil }
    guard let flag = raw.boolValue else { throw ModelError("\(file): \"\(key)\" must be true or false") }
    return flag
  }

  /// An id, or the first of a list of ids (`eos_token_id` may be either).
  func ids(_ key: String) throws(ModelError) -> [Int]? {
    guard let raw = value[key], !raw.isNull else { return nil }
    if let single = raw.numberValue?.intValue { return [single] }
    guard let list = raw.arrayValue else {
      throw ModelError("\(file): \"\(key)\" must be an id or a list of ids")
    }
    var ids: [Int] = []
    for item in list {
      guard let id = item.numberValue?.intValue else {
        throw ModelError("\(file): \"\(key)\" must be an id or a list of ids")
      }
      ids.append(id)
    }
    return ids
  }

  func object(_ key: String) -> HFJSON? {
    guard let raw = value[key], raw.objectMembers != nil else { return nil }
    return HFJSON(file: file, value: raw)
  }
}
