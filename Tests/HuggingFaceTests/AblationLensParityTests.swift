// Head ablation and the logit lens against transformers (scripts/make_ablation_lens_fixtures.py):
// the ablated model's logits equal PyTorch's with the same heads zeroed by a forward pre-hook on
// the output projection, and every lens row equals transformers' hidden state through the final
// norm and LM head, within 1e-4 — for an encoder-decoder (Marian), GPT-2, a grouped-query Llama and
// Gemma 3 with its final soft-cap.
import Foundation
import Safetensors
import TestSupport
import Testing
import Trace
import Transformer
import Workbench

@Suite struct AblationLensParityTests {
  /// The model folder of each case and its reference file.
  static let cases = [
    "gpt2": "gpt2", "marian": "marian", "llama": "llm/llama", "gemma3-softcap": "llm/gemma3-softcap",
  ]

  func load(_ name: String) throws -> (
    LoadedModel, SafetensorsFile, inputs: (encoder: [Int]?, decoder: [Int])
  ) {
    let folder = Self.cases[name]!
    let loaded = try LoadedModel(folder: HFFixtures.folder(folder).path)
    let reference = try SafetensorsFile.load(
      path: HFFixtures.folder("ablation").appendingPathComponent("\(name).safetensors").path)
    let expected = try HFFixtures.expected(folder)
    let ids = try expected.integers("input_ids")
    let inputs =
      loaded.config.architecture == .encoderDecoder
      ? (encoder: Optional(ids), decoder: try expected.integers("decoder_input_ids")) : (nil, ids)
    return (loaded, reference, inputs)
  }

  /// The fixture's [k, 4] rows (stack, kind, layer, head) as an ablation.
  func ablation(_ reference: SafetensorsFile) throws -> HeadAblation {
    let flat = try reference.integers("ablated_heads")
    return HeadAblation(
      Set(
        stride(from: 0, to: flat.count, by: 4).map {
          AblatedHead(
            stack: flat[$0] == 0 ? .encoder : .decoder, kind: [.self, .masked, .cross][flat[$0 + 1]],
            layer: flat[$0 + 2], head: flat[$0 + 3])
        }))
  }

  @Test(arguments: ["gpt2", "marian", "llama", "gemma3-softcap"])
  func ablatedLogitsMatchAForwardHook(_ name: String) throws {
    let (loaded, reference, inputs) = try load(name)
    let heads = try ablation(reference)
    let ablated = loaded.ablating(heads).model
    let output = try ablated.forward(encoderIDs: inputs.encoder, decoderIDs: inputs.decoder)
    expectClose(output.logits.scalars, try reference.floats("ablated_logits"), "\(name) ablated \(heads)")
    // The original is untouched, and an empty ablation gives the model back.
    let plain = try loaded.model.forward(encoderIDs: inputs.encoder, decoderIDs: inputs.decoder)
    expectClose(plain.logits.scalars, try reference.floats("logits"), "\(name) as trained")
    let restored = try ablated.ablating(HeadAblation()).forward(
      encoderIDs: inputs.encoder, decoderIDs: inputs.decoder)
    #expect(restored.logits.scalars == plain.logits.scalars)
  }

  /// The cached step (one token at a time) and the batched beam step read the same silenced layers.
  @Test(arguments: ["gpt2", "marian", "llama"])
  func ablatedIncrementalDecodingMatchesTheFullPass(_ name: String) throws {
    let (loaded, reference, inputs) = try load(name)
    let model = loaded.ablating(try ablation(reference)).model
    let memory = try inputs.encoder.map { ids throws(ModelError) in
      try model.encodeForDecoding(encoderIDs: ids)
    }
    var cache = model.makeDecoderCache()
    var rows: [Float] = []
    for token in inputs.decoder {
      rows += try model.decodeStep(token: token, cache: &cache, encoderMemory: memory)
    }
    expectClose(rows, try reference.floats("ablated_logits"), "\(name) ablated, step by step")
    var caches = [model.makeDecoderCache(), model.makeDecoderCache()]
    var batched: [Float] = []
    for token in inputs.decoder {
      batched += Array(
        try model.decodeStepBatch(tokens: [token, token], caches: &caches, encoderMemory: memory).row(1))
    }
    expectClose(batched, try reference.floats("ablated_logits"), "\(name) ablated, batched beam step")
  }

  @Test(arguments: ["gpt2", "marian", "llama", "gemma3-softcap"])
  func lensRowsMatchHiddenStatesThroughTheHead(_ name: String) throws {
    let (loaded, reference, inputs) = try load(name)
    let states = try loaded.model.residualStream(encoderIDs: inputs.encoder, decoderIDs: inputs.decoder)
    #expect(states.count == loaded.config.decoderLayers + 1)
    for (layer, state) in states.enumerated() {
      expectClose(
        loaded.model.lensLogits(state).scalars, try reference.floats("lens.\(layer)"), "\(name) lens \(layer)"
      )
    }
    // The last row is the model's own output, exactly.
    let output = try loaded.model.forward(encoderIDs: inputs.encoder, decoderIDs: inputs.decoder)
    #expect(loaded.model.lensLogits(states.last!).scalars == output.logits.scalars)
  }

  /// Every head of a layer off: the attention sublayer adds nothing (Llama's o_proj has no bias),
  /// so the layer's output is its input plus its feed-forward path alone.
  @Test func ablatingEveryHeadOfALayerLeavesItsResidualPath() throws {
    let (loaded, _, inputs) = try load("llama")
    let heads = loaded.config.numHeads
    let all = HeadAblation(
      Set((0..<heads).map { AblatedHead(stack: .decoder, kind: .masked, layer: 0, head: $0) }))
    let model = loaded.model.ablating(all)
    let states = try model.residualStream(decoderIDs: inputs.decoder)
    let layer = model.decoder!.layers[0]
    let path = layer.feedForward(layer.feedForwardNorm(states[0]))
    let expected = zip(path.scalars, states[0].scalars).map(+)
    expectClose(states[1].scalars, expected, tolerance: 1e-5, "layer 1 with every head off")
    // The other layer still attends: its output differs from its residual path alone.
    let second = model.decoder!.layers[1]
    let skippedPath = second.feedForward(second.feedForwardNorm(states[1]))
    let skipped = zip(skippedPath.scalars, states[1].scalars).map(+)
    let change = zip(states[2].scalars, skipped).map { abs($0 - $1) }.max() ?? 0
    #expect(change > 1e-3)
  }
}
