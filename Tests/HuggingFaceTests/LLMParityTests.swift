// The decoder-only LLM families (scripts/make_llm_fixtures.py, transformers 5.24, seeded random
// weights, some stored in bfloat16 / float16): logits and every attention matrix within 1e-4 of
// transformers' float64 reference, through the full pass and through the KV-cached steps.
import Decoding
import Foundation
import HuggingFace
import Safetensors
import TestSupport
import Testing
import Trace
import Transformer
import Workbench

@Suite struct LLMParityTests {
  static let cases = [
    "llama", "llama3-rope", "llama-linear", "mistral", "qwen2", "qwen3", "gemma3", "gemma3-softcap", "phi3",
  ]

  func load(_ name: String) throws -> (HuggingFaceModel, TransformerModel, SafetensorsFile) {
    let folder = HFFixtures.folder("llm/\(name)")
    let hf = try HuggingFaceModel(folder: folder)
    return (hf, try hf.transformerModel(), try HFFixtures.expected("llm/\(name)"))
  }

  @Test(arguments: cases)
  func logitsAndAttentionMatchTransformers(name: String) throws {
    let (hf, model, expected) = try load(name)
    let ids = try expected.integers("input_ids")
    let grouped = hf.config.numKVHeads == hf.config.numHeads ? nil : hf.config.numKVHeads
    let recorder = AttentionRecorder()
    let output = try model.forward(decoderIDs: ids, recorder: recorder)
    expectClose(output.logits.scalars, try expected.floats("logits"), "\(name) logits")
    let layers = expected.tensorsInOrder.filter { $0.name.hasPrefix("attn.") }.count
    #expect(recorder.entries.count == layers, "\(name): one entry per layer")
    for entry in recorder.entries {
      #expect(entry.keyValueHeads == grouped, "\(name): the trace says which query heads share K/V")
      expectClose(
        entry.weights, try expected.floats("attn.decoder.masked.\(entry.layer)"),
        "\(name) layer \(entry.layer)")
    }
  }

  /// Prefill all but the last two tokens, then step one at a time: each step's logits equal the
  /// full pass's row, so the cache holds rotated keys and the sliding window moves with the position.
  @Test(arguments: cases)
  func cachedStepsMatchTheFullPass(name: String) throws {
    let (_, model, expected) = try load(name)
    let ids = try expected.integers("input_ids")
    let full = try expected.floats("logits")
    let vocabulary = full.count / ids.count
    var cache = model.makeDecoderCache()
    _ = try model.decodeStep(tokens: Array(ids.dropLast(2)), cache: &cache, encoderMemory: nil)
    for position in (ids.count - 2)..<ids.count {
      let row = try model.decodeStep(token: ids[position], cache: &cache, encoderMemory: nil)
      expectClose(
        row, Array(full[(position * vocabulary)..<((position + 1) * vocabulary)]), "\(name) step \(position)")
    }
    var batch = [model.makeDecoderCache()]
    _ = try model.decodeStep(tokens: Array(ids.dropLast()), cache: &batch[0], encoderMemory: nil)
    let last = try model.decodeStepBatch(tokens: [ids.last!], caches: &batch, encoderMemory: nil)
    expectClose(last.scalars, Array(full.suffix(vocabulary)), "\(name) batched step")
  }

  /// 16-bit checkpoints stay 16-bit: every matrix is packed, two bytes per weight.
  @Test func sixteenBitWeightsStaySixteenBit() throws {
    for name in ["llama", "qwen2", "gemma3", "llama-linear"] {
      let (hf, model, _) = try load(name)
      #expect(!hf.parameters.packed.isEmpty, "\(name): packed matrices")
      #expect(hf.parameters.tensors.values.allSatisfy { $0.rank == 1 }, "\(name): only vectors are Float32")
      let storage = model.decoder!.layers[0].selfAttention.query.matrix.storageName
      #expect(storage == (name == "llama-linear" ? "f16" : "bf16"), "\(name) stored as \(storage)")
    }
  }
}

/// Through the model seam, as a user opens a folder: the tokenizer's ids of the prompt, and
/// `generate`'s greedy and num_beams=4 ids for 16 new tokens.
@Suite struct LLMGenerationTests {
  /// The prompts scripts/make_llm_fixtures.py encoded.
  static let prompts = [
    "llama": "I love you very much, said the fox to the dog.",
    "llama3-rope": "The fox runs into the woods; the dog sleeps.",
    "llama-linear": "Small models are fun to watch, café!",
    "mistral": "Attention is all you need: every token looks.",
    "qwen2": "We love the sun and the rain, 2025!",
    "qwen3": "Rotary embeddings rotate the keys.",
    "gemma3": "The first token often takes the attention.",
    "gemma3-softcap": "Some models look at a window of recent tokens.",
    "phi3": "<|user|>\nI love the sun.<|end|>\n<|assistant|>\n",
  ]

  func generated(_ loaded: LoadedModel, _ prompt: String, beam: Int?) throws -> [Int] {
    let source = try loaded.decodingSource(text: prompt)
    let budget = try #require(loaded.defaultMaxLength(source))
    let options = DecodingOptions(startToken: source.firstToken, endToken: loaded.endID, maxLength: budget)
    let result =
      try beam.map { try loaded.beamSearch(source, width: $0, alpha: nil, options: options) }
      ?? GreedySearch.decode(loaded.generationStepModel(source, maxLength: budget), options: options)
    let best = try #require(result.hypotheses.first)
    return source.prefill + [source.firstToken] + best.tokens + (best.finished ? [loaded.endID] : [])
  }

  @Test(arguments: LLMParityTests.cases)
  func greedyAndBeamIdsMatchGenerate(name: String) throws {
    let loaded = try LoadedModel(folder: HFFixtures.folder("llm/\(name)").path)
    let expected = try HFFixtures.expected("llm/\(name)")
    let prompt = try #require(Self.prompts[name])
    let framed = try loaded.decodingSource(text: prompt)
    #expect(
      framed.prefill + [framed.firstToken] == (try expected.integers("input_ids")), "\(name) prompt ids")
    #expect(try generated(loaded, prompt, beam: nil) == expected.integers("greedy_ids"), "\(name) greedy")
    #expect(try generated(loaded, prompt, beam: 4) == expected.integers("beam_ids"), "\(name) beam 4")
  }
}
