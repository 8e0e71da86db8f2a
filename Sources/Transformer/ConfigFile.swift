// Reading a model folder's config.json once into a JSONValue: a regular file of bounded size,
// through the project's JSON parser; whichever format or architecture reader needs it decodes it.
import FileInput
import JSON

public enum ConfigFile {
  /// The parsed file at `path`; problems are one line starting with the file's name:
  /// `config.json: cannot read /m/config.json: is a FIFO (named pipe), not a regular file`,
  /// `config.json: not valid JSON: unexpected end of input at line 3, column 1 (byte 40)`.
  public static func read(_ path: String, rejectDuplicateKeys: Bool = true) throws(ModelError) -> JSONValue {
    let name = path.split(separator: "/").last.map(String.init) ?? path
    let bytes: [UInt8]
    do { bytes = try InputFile.read(path, limit: InputFile.Limit.jsonConfig) } catch {
      throw ModelError("\(name): cannot read \(path)\(error.suffix)")
    }
    do { return try JSONValue.parse(bytes, rejectDuplicateKeys: rejectDuplicateKeys) } catch {
      throw ModelError("\(name): not valid JSON: \(error.description)")
    }
  }
}

extension ModelConfig {
  /// attnscope's config.json at `path`, read and decoded (not validated).
  public static func load(path: String) throws(ModelError) -> ModelConfig {
    try ModelConfig(json: try ConfigFile.read(path))
  }
}
