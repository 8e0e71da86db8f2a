// Hugging Face folders that attnscope must refuse on one line naming the file, key or option —
// never a wrong answer, never a pickle opened.
import Foundation
import HuggingFace
import Safetensors
import Testing
import Transformer
import Workbench

@Suite struct HFBadInputTests {
  func copy(_ fixture: String, _ change: (URL) throws -> Void) throws -> URL {
    try HFFixtures.scratchCopy(fixture, change)
  }

  func message(_ folder: URL) -> String {
    defer { try? FileManager.default.removeItem(at: folder) }
    do {
      _ = try LoadedModel(folder: folder.path)
      return "loaded"
    } catch {
      return error.description
    }
  }

  /// config.json with `key` set to the JSON literal `value`.
  func editConfig(_ folder: URL, _ key: String, _ value: String) throws {
    let url = folder.appendingPathComponent("config.json")
    var object = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
    object[key] = try JSONSerialization.jsonObject(with: Data(value.utf8), options: .fragmentsAllowed)
    try JSONSerialization.data(withJSONObject: object).write(to: url)
  }

  @Test func unsupportedModelTypeIsNamed() throws {
    let text = message(try copy("bert") { try editConfig($0, "model_type", "\"roberta\"") })
    #expect(text.contains("model_type \"roberta\" is not supported"), "\(text)")
  }

  @Test func relativePositionsAreRefused() throws {
    let text = message(try copy("bert") { try editConfig($0, "position_embedding_type", "\"relative_key\"") })
    #expect(text.contains("position_embedding_type \"relative_key\""), "\(text)")
  }

  @Test func unknownActivationIsNamed() throws {
    let text = message(try copy("gpt2") { try editConfig($0, "activation_function", "\"quick_gelu\"") })
    #expect(text.contains("activation_function \"quick_gelu\""), "\(text)")
  }

  @Test func pickleIsRefusedNeverOpened() throws {
    let text = message(
      try copy("bert") {
        try FileManager.default.removeItem(at: $0.appendingPathComponent("model.safetensors"))
        try Data("not a pickle at all".utf8).write(to: $0.appendingPathComponent("pytorch_model.bin"))
      })
    #expect(text.contains("pytorch_model.bin is a PyTorch pickle"), "\(text)")
  }

  @Test func missingFilesAreNamed() throws {
    let weights = message(
      try copy("bert") {
        try FileManager.default.removeItem(at: $0.appendingPathComponent("model.safetensors"))
      })
    #expect(weights.contains("missing model.safetensors"), "\(weights)")
    let tokenizer = message(
      try copy("bert") { try FileManager.default.removeItem(at: $0.appendingPathComponent("vocab.txt")) })
    #expect(tokenizer.contains("no tokenizer files"), "\(tokenizer)")
  }

  @Test func missingTensorIsNamed() throws {
    let text = message(
      try copy("gpt2") { folder in
        let url = folder.appendingPathComponent("model.safetensors")
        let file = try SafetensorsFile.load(path: url.path)
        var writer = SafetensorsWriter(metadata: [:])
        for info in file.tensorsInOrder where info.name != "transformer.h.1.mlp.c_fc.weight" {
          try writer.add(info.name, shape: info.shape, floats: try file.floats(info.name))
        }
        try Data(writer.serialize()).write(to: url)
      })
    #expect(text.contains("missing tensor 'transformer.h.1.mlp.c_fc.weight'"), "\(text)")
  }

  @Test func shardedCheckpointLoadsAndMatches() throws {
    let folder = try copy("gpt2") { folder in
      let url = folder.appendingPathComponent("model.safetensors")
      let file = try SafetensorsFile.load(path: url.path)
      var shards = [SafetensorsWriter(metadata: [:]), SafetensorsWriter(metadata: [:])]
      var map: [String: String] = [:]
      for (index, info) in file.tensorsInOrder.enumerated() {
        try shards[index % 2].add(info.name, shape: info.shape, floats: try file.floats(info.name))
        map[info.name] = "model-0000\(index % 2 + 1)-of-00002.safetensors"
      }
      for (index, shard) in shards.enumerated() {
        try Data(shard.serialize()).write(
          to: folder.appendingPathComponent("model-0000\(index + 1)-of-00002.safetensors"))
      }
      try FileManager.default.removeItem(at: url)
      let index = try JSONSerialization.data(withJSONObject: ["metadata": [:], "weight_map": map])
      try index.write(to: folder.appendingPathComponent("model.safetensors.index.json"))
    }
    defer { try? FileManager.default.removeItem(at: folder) }
    let sharded = try LoadedModel(folder: folder.path)
    let single = try LoadedModel(folder: HFFixtures.folder("gpt2").path)
    let ids = [41, 836, 294]
    #expect(try sharded.model.forward(decoderIDs: ids).logits == single.model.forward(decoderIDs: ids).logits)
  }

  /// The seam picks the Hugging Face reader from config.json's "model_type" alone.
  @Test func huggingFaceFoldersOpenThroughTheSeam() throws {
    #expect(throws: ModelError.self) { try ModelFormats.open(path: "/nonexistent") }
    guard case .text(let loaded) = try ModelFormats.open(path: HFFixtures.folder("marian").path) else {
      Issue.record("the marian fixture did not open as a text model")
      return
    }
    #expect(loaded.format is HuggingFaceText)
    guard case .image = try ModelFormats.open(path: HFFixtures.folder("vit").path) else {
      Issue.record("the vit fixture did not open as an image model")
      return
    }
  }
}
