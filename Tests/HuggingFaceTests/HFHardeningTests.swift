// Issue #13, classes 1, 3, 4 and 8 for Hugging Face folders: sizes and tensor shapes checked before
// use, only regular files read (a FIFO never waited on), sizes a small file implies refused before
// anything is allocated, and messages that say what is wrong where. ViT preprocessing follows
// do_rescale / rescale_factor / do_normalize as transformers' ViTImageProcessor does.
import Foundation
import HuggingFace
import Safetensors
import TestSupport
import Testing
import Transformer
import Workbench

@Suite struct HFHardeningTests {
  func copy(_ fixture: String, _ change: (URL) throws -> Void) throws -> URL {
    try HFFixtures.scratchCopy(fixture, change)
  }

  /// The loader's message for `folder` (text or image model, as the CLI picks), then removes it.
  func message(_ folder: URL) -> String {
    defer { try? FileManager.default.removeItem(at: folder) }
    do {
      _ = try ModelFormats.open(path: folder.path)
      return "loaded"
    } catch { return error.description }
  }

  func editConfig(_ folder: URL, _ key: String, _ value: String?) throws {
    let url = folder.appendingPathComponent("config.json")
    var object = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
    object[key] = try value.map {
      try JSONSerialization.jsonObject(with: Data($0.utf8), options: .fragmentsAllowed)
    }
    try JSONSerialization.data(withJSONObject: object).write(to: url)
  }

  /// Rewrites model.safetensors, replacing or dropping tensors (`edit` returns nil to drop).
  func editWeights(_ folder: URL, _ edit: (String, [Int], [Float]) -> (shape: [Int], floats: [Float])?) throws
  {
    let path = folder.appendingPathComponent("model.safetensors").path
    let file = try SafetensorsFile.load(path: path)
    var writer = SafetensorsWriter()
    for info in file.tensorsInOrder {
      guard let (shape, floats) = edit(info.name, info.shape, try file.floats(info.name)) else { continue }
      try writer.add(info.name, shape: shape, floats: floats)
    }
    try writer.write(toPath: path)
  }

  // MARK: Class 1: shapes and config values used before they are checked

  @Test func aScalarWhereAFusedBiasBelongsIsNamed() throws {
    let text = message(
      try copy("gpt2") {
        try editWeights($0) { name, shape, floats in
          name.hasSuffix("h.0.attn.c_attn.bias") ? ([], [0]) : (shape, floats)
        }
      })
    #expect(
      text
        == "model.safetensors: tensor 'transformer.h.0.attn.c_attn.bias' has shape [], config.json implies [96]"
    )
  }

  @Test func aFusedWeightOfTheWrongWidthIsNamed() throws {
    let text = message(
      try copy("gpt2") {
        try editWeights($0) { name, shape, floats in
          name.hasSuffix("h.1.attn.c_attn.weight")
            ? ([32, 64], Array(floats.prefix(32 * 64))) : (shape, floats)
        }
      })
    #expect(
      text
        == "model.safetensors: tensor 'transformer.h.1.attn.c_attn.weight' has shape [32, 64], config.json implies [32, 96]"
    )
  }

  @Test(arguments: [
    ("num_channels", "-1", #"config.json: "num_channels" must be an integer from 1 to 3, got -1"#),
    (
      "num_channels", "1000000000000",
      #"config.json: "num_channels" must be an integer from 1 to 3, got 1000000000000"#
    ),
    (
      "image_size", "4294967296",
      #"config.json: "image_size" must be an integer from 1 to 4096, got 4294967296"#
    ),
    ("hidden_size", "-32", #"config.json: "hidden_size" must be an integer from 1 to 65536, got -32"#),
    (
      "num_hidden_layers", "-1",
      #"config.json: "num_hidden_layers" must be an integer from 0 to 1024, got -1"#
    ),
    ("patch_size", "0", #"config.json: "patch_size" must be an integer from 1 to 4096, got 0"#),
  ])
  func viTConfigSizesAreCheckedFirst(key: String, value: String, expected: String) throws {
    let text = message(
      try copy("vit") {
        try editConfig($0, key, value)
        if key == "image_size" { try editConfig($0, "patch_size", "1") }
      })
    #expect(text == expected)
  }

  @Test func aViTModelWithANegativeWidthIsNamed() throws {
    // ViTModel: no classifier, so the head would be a [d, d] identity built from hidden_size.
    let text = message(
      try copy("vit") {
        try editWeights($0) { name, shape, floats in name.hasPrefix("classifier.") ? nil : (shape, floats) }
        try editConfig($0, "hidden_size", "-5")
      })
    #expect(text == #"config.json: "hidden_size" must be an integer from 1 to 65536, got -5"#)
  }

  @Test(arguments: [
    (
      "bert", "hidden_size", "-768",
      #"config.json: "hidden_size" must be an integer from 1 to 65536, got -768"#
    ),
    ("bert", "vocab_size", "0", #"config.json: "vocab_size" must be an integer from 1 to 10000000, got 0"#),
    (
      "gpt2", "n_embd", "4611686018427387904",
      #"config.json: "n_embd" must be an integer from 1 to 65536, got 4611686018427387904"#
    ),
    (
      "gpt2", "n_positions", "-1", #"config.json: "n_positions" must be an integer from 1 to 1048576, got -1"#
    ),
    (
      "marian", "encoder_layers", "99999",
      #"config.json: "encoder_layers" must be an integer from 0 to 1024, got 99999"#
    ),
    ("marian", "d_model", "512.5", #"config.json: "d_model" must be a whole number"#),
  ])
  func textConfigSizesAreCheckedFirst(fixture: String, key: String, value: String, expected: String) throws {
    #expect(message(try copy(fixture) { try editConfig($0, key, value) }) == expected)
  }

  // MARK: Class 3: files that are not regular files

  @Test func aFIFOAsTheWeightsIsRefusedWithoutBlocking() throws {
    let folder = try copy("bert") {
      try FileManager.default.removeItem(at: $0.appendingPathComponent("model.safetensors"))
    }
    let path = folder.appendingPathComponent("model.safetensors").path
    let text = try SpecialFiles.withFIFO(at: path) { message(folder) }
    #expect(text == "model.safetensors: cannot read '\(path)': is a FIFO (named pipe), not a regular file")
  }

  @Test func aFIFOAsAShardIsRefusedWithoutBlocking() throws {
    let shard = "model-00001-of-00001.safetensors"
    let folder = try copy("bert") { folder in
      let weights = folder.appendingPathComponent("model.safetensors")
      let names = try SafetensorsFile.load(path: weights.path).tensorsInOrder.map(\.name)
      try FileManager.default.removeItem(at: weights)
      let map = Dictionary(uniqueKeysWithValues: names.map { ($0, shard) })
      try JSONSerialization.data(withJSONObject: ["metadata": [:], "weight_map": map])
        .write(to: folder.appendingPathComponent("model.safetensors.index.json"))
    }
    let path = folder.appendingPathComponent(shard).path
    let text = try SpecialFiles.withFIFO(at: path) { message(folder) }
    #expect(text == "\(shard): cannot read '\(path)': is a FIFO (named pipe), not a regular file")
  }

  @Test func aFIFOAsConfigOrVocabularyIsRefusedWithoutBlocking() throws {
    let config = try copy("gpt2") {
      try FileManager.default.removeItem(at: $0.appendingPathComponent("config.json"))
    }
    let configPath = config.appendingPathComponent("config.json").path
    let configText = try SpecialFiles.withFIFO(at: configPath) { message(config) }
    #expect(
      configText == "config.json: cannot read \(configPath): is a FIFO (named pipe), not a regular file")

    let vocab = try copy("gpt2") {
      try FileManager.default.removeItem(at: $0.appendingPathComponent("vocab.json"))
    }
    let vocabPath = vocab.appendingPathComponent("vocab.json").path
    let vocabText = try SpecialFiles.withFIFO(at: vocabPath) { message(vocab) }
    #expect(vocabText == "vocab.json: cannot read \(vocabPath): is a FIFO (named pipe), not a regular file")
  }

  @Test func aDirectoryAsGenerationConfigIsNotCalledMissing() throws {
    let folder = try copy("gpt2") {
      let url = $0.appendingPathComponent("generation_config.json")
      try FileManager.default.removeItem(at: url)
      try FileManager.default.createDirectory(at: url, withIntermediateDirectories: false)
    }
    let path = folder.appendingPathComponent("generation_config.json").path
    #expect(
      message(folder) == "generation_config.json: cannot read \(path): is a directory, not a regular file")
  }

  // MARK: Class 4: sizes a small file implies

  @Test func aSparseHugeConfigIsRefusedBeforeItIsRead() throws {
    let folder = try copy("bert") { _ in }
    let path = folder.appendingPathComponent("config.json").path
    try FileManager.default.removeItem(atPath: path)
    try SpecialFiles.sparse(at: path, prefix: Array("{\"model_type\": \"bert\"".utf8), size: 3 << 30)
    var text = ""
    let seconds = SpecialFiles.seconds { text = message(folder) }
    #expect(text == "config.json: cannot read \(path): is 3 GB; files of this kind are limited to 64 MB")
    #expect(seconds < 5)
  }

  // MARK: Class 8: messages that mislead

  @Test func aByteOrderMarkIsNamedNotMissingArchitecture() throws {
    let text = message(
      try copy("bert") {
        let url = $0.appendingPathComponent("config.json")
        try (Data([0xEF, 0xBB, 0xBF]) + Data(contentsOf: url)).write(to: url)
      })
    #expect(text.hasPrefix("config.json: not valid JSON: starts with a UTF-8 byte order mark"), "\(text)")
  }

  @Test func aJSONErrorGivesItsLineAndColumn() throws {
    let text = message(
      try copy("bert") {
        try Data("{\n  \"model_type\": \"bert\",\n}".utf8).write(to: $0.appendingPathComponent("config.json"))
      })
    // The trailing comma: a lenient model_type probe sends it to the Hugging Face loader.
    #expect(text == "config.json: not valid JSON: expected a string key at line 3, column 1 (byte 26)")
  }

  // MARK: ViT preprocessing: rescale, then normalise, each only when asked

  func vision(_ preprocessor: String) throws -> VisionSettings {
    let folder = try copy("vit") {
      try Data(preprocessor.utf8).write(to: $0.appendingPathComponent("preprocessor_config.json"))
    }
    defer { try? FileManager.default.removeItem(at: folder) }
    return try #require(try HuggingFaceModel(folder: folder).config.vision)
  }

  /// What the engine feeds the model for an 8-bit sample `pixel` of channel 0.
  func input(_ vision: VisionSettings, pixel: Float) -> Float {
    (pixel / 255 - vision.imageMean[0]) / vision.imageStd[0]
  }

  @Test func preprocessingFollowsRescaleAndNormalize() throws {
    // The defaults: pixel / 255, then (x − 0.5) / 0.5.
    let defaults = try vision("{}")
    #expect(abs(input(defaults, pixel: 255) - 1) < 1e-6 && abs(input(defaults, pixel: 0) + 1) < 1e-6)
    // do_normalize false: the rescaled value itself.
    let plain = try vision(#"{"do_normalize": false, "image_mean": [0.3, 0.3, 0.3]}"#)
    #expect(plain.imageMean == [0, 0, 0] && plain.imageStd == [1, 1, 1])
    #expect(abs(input(plain, pixel: 51) - 0.2) < 1e-6)
    // rescale_factor 1/127.5 and mean = std = 1: v = pixel / 127.5 − 1 (hand-computed).
    let halves = try vision(
      #"{"rescale_factor": 0.00784313725490196, "image_mean": [1, 1, 1], "image_std": [1, 1, 1]}"#)
    for pixel: Float in [0, 51, 127.5, 255] {
      #expect(abs(input(halves, pixel: pixel) - (pixel / 127.5 - 1)) < 1e-5)
    }
    // Neither step: the raw 0…255 sample.
    let raw = try vision(#"{"do_rescale": false, "do_normalize": false}"#)
    #expect(abs(input(raw, pixel: 200) - 200) < 1e-3)
    // do_rescale false with normalisation: (pixel − mean) / std on 0…255.
    let unscaled = try vision(
      #"{"do_rescale": false, "image_mean": [100, 100, 100], "image_std": [50, 50, 50]}"#)
    #expect(abs(input(unscaled, pixel: 200) - 2) < 1e-4)
  }

  @Test func aNonPositiveRescaleFactorIsNamed() throws {
    #expect(throws: ModelError.self) { try vision(#"{"rescale_factor": 0}"#) }
    do { _ = try vision(#"{"rescale_factor": -1}"#) } catch {
      #expect(
        "\(error)"
          == "preprocessor_config.json: \"rescale_factor\" must be a positive number, found -1.0")
    }
  }
}

@Suite struct GenerationConfigSizeTests {
  func message(_ generation: String) throws -> String {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hf-\(UUID().uuidString)")
    try FileManager.default.copyItem(at: HFFixtures.folder("gpt2"), to: folder)
    defer { try? FileManager.default.removeItem(at: folder) }
    try Data(generation.utf8).write(to: folder.appendingPathComponent("generation_config.json"))
    do {
      _ = try HuggingFaceModel(folder: folder)
      return "loaded"
    } catch { return error.description }
  }

  @Test func generationSizesAreChecked() throws {
    #expect(try message(#"{"num_beams": 4}"#) == "loaded")
    // Any beam count loads (nothing is sized from it); beam search itself takes 1…16.
    #expect(try message(#"{"num_beams": 1000000000}"#) == "loaded")
    #expect(
      try message(#"{"max_length": -5}"#)
        == "generation_config.json: max_length must be an integer of at least 1, got -5")
    #expect(
      try message(#"{"length_penalty": 1e999}"#).hasPrefix("generation_config.json: length_penalty must be"))
  }
}
