// generation_config.json numbers outside their domain (RELIABILITY.md, class 6): one line naming
// the file and the key, through the same `Domain` the command-line flags use.
import Foundation
import Testing
import Workbench

@Suite struct GenerationDomainTests {
  /// Marian's folder with generation_config.json's `key` set to the JSON literal `value`; the load
  /// error, or "loaded".
  func message(_ key: String, _ value: String, file: String = "generation_config.json") throws -> String {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gen-\(UUID().uuidString)")
    try FileManager.default.copyItem(at: HFFixtures.folder("marian"), to: folder)
    defer { try? FileManager.default.removeItem(at: folder) }
    if file == "config.json" {
      try FileManager.default.removeItem(at: folder.appendingPathComponent("generation_config.json"))
    }
    let url = folder.appendingPathComponent(file)
    var object = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
    object[key] = try JSONSerialization.jsonObject(with: Data(value.utf8), options: .fragmentsAllowed)
    try JSONSerialization.data(withJSONObject: object).write(to: url)
    do {
      _ = try LoadedModel(folder: folder.path)
      return "loaded"
    } catch {
      return error.description
    }
  }

  @Test func outOfDomainValuesNameTheFileAndTheKey() throws {
    #expect(
      try message("max_length", "-5")
        == "generation_config.json: max_length must be an integer of at least 1, got -5")
    #expect(
      try message("max_new_tokens", "0")
        == "generation_config.json: max_new_tokens must be an integer of at least 1, got 0")
    #expect(
      try message("num_beams", "0")
        == "generation_config.json: num_beams must be an integer of at least 1, got 0")
    #expect(
      try message("length_penalty", "-20")
        == "generation_config.json: length_penalty must be a number from -5 to 5, got -20.0")
    #expect(
      try message("length_penalty", "1e300")
        == "generation_config.json: length_penalty must be a number from -5 to 5, got inf")
    // Without generation_config.json the same keys come from config.json, and it is named.
    #expect(
      try message("max_length", "-5", file: "config.json")
        == "config.json: max_length must be an integer of at least 1, got -5")
    #expect(try message("length_penalty", "0.6") == "loaded")
  }
}
