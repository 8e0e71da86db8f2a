// Typed access to a GGUF file's metadata. Each accessor checks the stored type and says, in one
// line naming the key, what it found instead (`key 'llama.block_count': expected an integer,
// found string "30"`); a value of the wrong type is never converted silently (llama.cpp #26690:
// token scores stored as u8).

extension GGUFFile {
  private func failure(_ key: String, _ problem: String) -> GGUFError {
    GGUFError(file: fileName, subject: .key(key), problem: problem)
  }

  private func entry(_ key: String) throws(GGUFError) -> MetadataEntry {
    guard let entry = entries[key] else {
      throw GGUFError(file: fileName, problem: "missing key '\(GGUFError.shown(key))'")
    }
    return entry
  }

  /// `string "llama"`, `u8 7`, `an array of 49152 string values`: what a message says was found.
  private func found(_ key: String, _ entry: MetadataEntry) -> String {
    if let array = entry.array { return "an array of \(array.count) \(array.elementType) values" }
    guard let value = try? self.value(key) else { return "a \(entry.type) value" }
    return "\(entry.type) \(value)"
  }

  public func contains(key: String) -> Bool { entries[key] != nil }

  /// The stored type of `key`, or nil if the file does not have it.
  public func valueType(of key: String) -> GGUFValueType? { entries[key]?.type }

  /// The value of `key`, decoded (arrays stay lazy).
  public func value(_ key: String) throws(GGUFError) -> GGUFValue {
    let entry = try entry(key)
    if let array = entry.array { return .array(array) }
    var cursor = ByteCursor(storage.buffer, at: entry.offset, fileName: fileName)
    return try GGUFFile.readValue(&cursor, type: entry.type, key: key, storage: storage, depth: 1)
  }

  /// A string value (UTF-8 checked).
  public func string(_ key: String) throws(GGUFError) -> String {
    let entry = try entry(key)
    guard entry.type == .string else { throw failure(key, "expected a string, found \(found(key, entry))") }
    guard case .string(let text) = try value(key) else { preconditionFailure() }
    return text
  }

  /// An integer value of any width and sign; a u64 above `Int.max` throws.
  public func int(_ key: String) throws(GGUFError) -> Int {
    let entry = try entry(key)
    guard entry.type.isInteger else { throw failure(key, "expected an integer, found \(found(key, entry))") }
    guard let value = loadInteger(storage.buffer, entry.offset, entry.type) else {
      throw failure(key, "u64 value \(found(key, entry)) is above \(Int.max)")
    }
    return value
  }

  /// An f32 value, or an f64 one rounded to nearest.
  public func float(_ key: String) throws(GGUFError) -> Float {
    let entry = try entry(key)
    switch try value(key) {
    case .float32(let v): return v
    case .float64(let v): return Float(v)
    default: throw failure(key, "expected a float, found \(found(key, entry))")
    }
  }

  /// A bool value.
  public func bool(_ key: String) throws(GGUFError) -> Bool {
    let entry = try entry(key)
    guard case .bool(let v) = try value(key) else {
      throw failure(key, "expected a bool, found \(found(key, entry))")
    }
    return v
  }

  /// An array value, still in the file (its `strings()`, `integers()`, `floats()` … decode it).
  public func array(_ key: String) throws(GGUFError) -> GGUFArray {
    let entry = try entry(key)
    guard let array = entry.array else { throw failure(key, "expected an array, found \(found(key, entry))") }
    return array
  }

  public func strings(_ key: String) throws(GGUFError) -> [String] { try array(key).strings() }
  public func integers(_ key: String) throws(GGUFError) -> [Int] { try array(key).integers() }
  public func floats(key: String) throws(GGUFError) -> [Float] { try array(key).floats() }

  // Optional keys: nil when absent, the same errors when present with the wrong type.
  public func stringIfPresent(_ key: String) throws(GGUFError) -> String? {
    contains(key: key) ? try string(key) : nil
  }
  public func intIfPresent(_ key: String) throws(GGUFError) -> Int? {
    contains(key: key) ? try int(key) : nil
  }
  public func floatIfPresent(_ key: String) throws(GGUFError) -> Float? {
    contains(key: key) ? try float(key) : nil
  }
  public func boolIfPresent(_ key: String) throws(GGUFError) -> Bool? {
    contains(key: key) ? try bool(key) : nil
  }
  public func arrayIfPresent(_ key: String) throws(GGUFError) -> GGUFArray? {
    contains(key: key) ? try array(key) : nil
  }
}
