// attnscope-bench: times the engine's hot paths and the screen, for BENCHMARKS.md.
// `swift run -c release attnscope-bench` (what `make bench` runs); the PyTorch counterpart is
// scripts/bench_pytorch.py. Options: --quick (shorter time budget per row), --only SECTION[,SECTION]
// with sections gemm, sample, decoding, minilm, render, breakdown (e.g. to profile one under perf),
// and hf, llm, llm-memory, gguf, ablation (real models, not in the default set), long-gpt2, long-qwen2
// (random-weight folders from scripts/make_long_input_models.py; one per process).
import AppCore
import Foundation
import Render
import Tensors
import Trace
import Transformer
import Workbench

@main
struct AttnscopeBench {
  static func main() throws {
    MemoryTuning.keepLargeBuffersInProcess()
    if ProcessInfo.processInfo.environment["ATTNSCOPE_BLAS_THREADS"] == nil { Parallelism.takeOverThreads() }
    let arguments = CommandLine.arguments
    if arguments.contains("--quick") { Bench.budget = 0.25 }
    var sections: Set<String> = ["gemm", "sample", "decoding", "minilm", "render", "screens", "breakdown"]
    if let index = arguments.firstIndex(of: "--only"), index + 1 < arguments.count {
      sections = Set(arguments[index + 1].split(separator: ",").map(String.init))
    }
    let clock = ContinuousClock()
    let started = clock.now
    print("attnscope-bench: median of repeated runs after one warm-up, ~\(fixed(Bench.budget, 2)) s per row")
    for line in Machine.summary() { print(line) }
    Peak.measure()
    print(Peak.summary())
    print("at start: \(Machine.loadAverage()) (other processes on the machine skew the numbers)")

    if sections.contains("gemm") {
      gemmRows()
      engineShapeRows()
      decodeStepRows()
    }
    if sections.contains("sample") { try sampleModelRows() }
    if sections.contains("decoding") { try decodingRows() }
    if sections.contains("screens") { screenRows() }
    if sections.contains("hf") { try huggingFaceRows() }  // not in the default set: needs MiniLM
    if sections.contains("llm") { try llmRows() }  // not in the default set: needs SmolLM2
    if sections.contains("llm-memory") { try llmMemoryRows() }  // alone in its process
    if sections.contains("gguf") { try ggufRows() }  // not in the default set: needs SmolLM2's GGUF
    for long in ["long-gpt2", "long-qwen2"] where sections.contains(long) { try longInputRows(long) }  // alone
    if sections.contains("softmax") { softmaxShareRows() }
    if sections.contains("gpt2-1024") { try gpt2PromptRows() }  // not in the default set: needs the folder  // not in the default set: 4,096² rows
    if sections.contains("ablation") { try ablationRows() }  // not in the default set; SmolLM2 rows if present
    if sections.contains("hf-minilm"), let folder = miniLMFolder { try realMiniLMRows(folder) }  // for profiling
    if !sections.isDisjoint(with: ["minilm", "render", "breakdown"]) {
      let miniLM = try makeMiniLM()
      if sections.contains("minilm") { miniLMRows(miniLM) }
      if sections.contains("render") { renderRows(miniLM) }
      if sections.contains("breakdown") { breakdownRows(miniLM) }
    }

    print("")
    print("total time: \(fixed((clock.now - started).seconds, 1)) s; \(Machine.loadAverage())")
  }

  // MARK: 1. GEMM

  static func gemmRows() {
    Bench.printHeader("GEMM, float32, C = A·B (square n×n×n)")
    var generator = SeededGenerator(seed: 7)
    for n in [64, 256, 512] {
      let a = (0..<(n * n)).map { _ in generator.nextUniform() - 0.5 }
      let b = (0..<(n * n)).map { _ in generator.nextUniform() - 0.5 }
      var c = [Float](repeating: 0, count: n * n)
      let flops = 2 * Double(n) * Double(n) * Double(n)
      let variants: [(String, Bool)] = n <= 256 ? [("BLAS", false), ("naive", true)] : [("BLAS", false)]
      for (label, naive) in variants {
        Bench.row(
          "Gemm.\(naive ? "multiplyNaive" : "multiply") \(n)×\(n)×\(n) (\(label))", derive: gflops(flops)
        ) {
          a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in
              c.withUnsafeMutableBufferPointer { pc in
                let va = MatrixView(pa.baseAddress!, rows: n, columns: n)
                let vb = MatrixView(pb.baseAddress!, rows: n, columns: n)
                if naive {
                  Gemm.multiplyNaive(va, vb, into: pc.baseAddress!)
                } else {
                  Gemm.multiply(va, vb, into: pc.baseAddress!)
                }
              }
            }
          }
          consume(c)
        }
      }
    }
  }

  // MARK: 2. The bundled default model

  static func sampleModelRows() throws {
    let name = ModelCatalog.defaultModelName
    guard let (folder, resolvedName) = ModelCatalog.resolve(name) else {
      print("\n(skipped: sample \(name) not found; run from the repository root)")
      return
    }
    let loaded = try LoadedModel(folder: folder, name: resolvedName)
    let text = loaded.config.defaultText ?? "I love you very much"
    let target = loaded.config.defaultTarget ?? "ti amo molto"
    // The ids trace(text:target:) builds: encoder text + </s>, decoder <s> + target.
    let endID = 2
    let startID = 1
    let encoderIDs = loaded.sourceTokenizer.encode(text).map(\.id) + [endID]
    let decoderIDs = [startID] + loaded.targetTokenizer.encode(target).map(\.id)
    let c = loaded.config
    Bench.printHeader(
      "default sample \(resolvedName): d \(c.dModel), \(c.numHeads) heads, ffn \(c.ffnDim), "
        + "\(c.encoderLayers)+\(c.decoderLayers) layers; \"\(text)\" (\(encoderIDs.count) tokens) → "
        + "\"\(target)\" (\(decoderIDs.count) tokens)")
    let perSecond: (Double) -> String = { fixed(1 / $0, 0) + " passes/s" }
    var entries = 0
    Bench.row("LoadedModel.trace(text:target:) (all attention)", derive: perSecond) {
      let result = try! loaded.trace(text: text, target: target)
      entries = result.trace.attention.count
      consume(result)
    }
    Bench.row("TransformerModel.forward + AttentionRecorder", derive: perSecond) {
      let recorder = AttentionRecorder()
      consume(try! loaded.model.forward(encoderIDs: encoderIDs, decoderIDs: decoderIDs, recorder: recorder))
      consume(recorder.entries)
    }
    Bench.row("TransformerModel.forward, no recorder", derive: perSecond) {
      consume(try! loaded.model.forward(encoderIDs: encoderIDs, decoderIDs: decoderIDs))
    }
    print("  (\(entries) attention entries recorded per pass)")
  }

  // MARK: 3. A MiniLM-shaped encoder

  struct MiniLM {
    let config: ModelConfig
    let model: TransformerModel
    let parameters: ParameterStore

    func ids(_ n: Int) -> [Int] { (0..<n).map { 4 + ($0 * 37) % (config.encoderVocabSize - 4) } }
    func labels(_ n: Int) -> [String] { (0..<n).map { "t\($0)" } }

    /// Multiply-adds ×2 of one forward pass at n tokens: projections, attention, FFN, lm_head.
    func flops(_ n: Int) -> Double {
      let (d, f, v, layers) = (
        Double(config.dModel), Double(config.ffnDim), Double(config.outputVocabSize),
        Double(config.encoderLayers)
      )
      let t = Double(n)
      let perLayer = 2 * t * d * d * 4 + 2 * t * d * f * 2 + 2 * 2 * t * t * d
      return layers * perLayer + 2 * t * d * v
    }
  }

  static let miniLMVocab = 1000

  static func miniLMConfig() throws -> ModelConfig {
    // all-MiniLM-L6-v2's shape (BERT: learned positions, post-norm, GELU, eps 1e-12), but with a
    // 1000-token vocabulary instead of 30522 to save memory and lm_head time.
    let json = """
      {"format": "attnscope", "architecture": "encoder-only", "d_model": 384, "num_heads": 12,
       "ffn_dim": 1536, "encoder_layers": 6, "vocab_size": \(miniLMVocab), "max_positions": 512,
       "positional": "learned", "norm": "post", "activation": "gelu", "layer_norm_eps": 1e-12,
       "scale_embeddings": false, "attention_bias": true}
      """
    let config = try ModelConfig(jsonText: json)
    try config.validate()
    return config
  }

  static func makeMiniLM() throws -> MiniLM {
    let config = try miniLMConfig()
    let parameters = ParameterStore(randomFor: config, seed: 1)
    return MiniLM(
      config: config, model: TransformerModel(config: config, parameters: parameters),
      parameters: parameters)
  }

  static func miniLMRows(_ miniLM: MiniLM) {
    Bench.printHeader(
      "MiniLM-shaped encoder (all-MiniLM-L6-v2 shape: d 384, 12 heads, ffn 1536, 6 layers, GELU, "
        + "post-norm), random weights seed 1, vocab reduced 30522 → \(miniLMVocab)")
    // Recorded and unrecorded side by side at each size: glibc's malloc adapts its mmap threshold
    // to the largest blocks freed so far, so rows run after the 512-token ones fault fewer pages.
    for n in [16, 128, 512] {
      let ids = miniLM.ids(n)
      let labels = TokenLabels(encoder: miniLM.labels(n))
      Bench.row("forward + AttentionRecorder, \(n) tokens", derive: modelDerived(miniLM, n)) {
        let recorder = AttentionRecorder()
        consume(try! miniLM.model.forward(encoderIDs: ids, labels: labels, recorder: recorder))
        consume(recorder.entries)
      }
      Bench.row("forward, no recorder, \(n) tokens", derive: modelDerived(miniLM, n)) {
        consume(try! miniLM.model.forward(encoderIDs: ids))
      }
    }
  }

  static func modelDerived(_ miniLM: MiniLM, _ n: Int) -> (Double) -> String {
    { seconds in
      fixed(Double(n) / seconds, 0) + " tokens/s, " + fixed(miniLM.flops(n) / seconds / 1e9, 1)
        + " GFLOP/s"
    }
  }

  // MARK: 4. Rendering

  static func renderRows(_ miniLM: MiniLM) {
    let n = 32
    let recorder = AttentionRecorder()
    _ = try! miniLM.model.forward(
      encoderIDs: miniLM.ids(n), labels: TokenLabels(encoder: miniLM.labels(n)), recorder: recorder)
    let trace = AttentionTrace(
      model: "minilm-shaped", tokens: TokenLabels(encoder: miniLM.labels(n)), attention: recorder.entries)
    Bench.printHeader("rendering: trace of the MiniLM-shaped model at \(n) tokens, screen 200×60")
    let frames: (Double) -> String = { fixed(1 / $0, 0) + " frames/s" }
    for depth in [ColorDepth.trueColor, .palette256] {
      let state = AppState(trace: trace, modelDescription: "MiniLM-shaped, random weights", depth: depth)
      Bench.row("AttentionScreen.view 200×60 (\(depth.rawValue))", derive: frames) {
        consume(AttentionScreen.view(state, size: (200, 60)))
      }
      let canvas = AttentionScreen.view(state, size: (200, 60))
      var bytes = 0
      Bench.row(
        "ANSIExporter.render of that canvas (\(depth.rawValue))",
        derive: { seconds in
          frames(seconds) + ", \(bytes) bytes"
        }
      ) {
        let text = ANSIExporter.render(canvas, depth: depth)
        bytes = text.utf8.count
        consume(text)
      }
    }
  }

  // MARK: 5. Where one MiniLM layer's time goes

  /// The public kernels one post-norm encoder layer runs, each timed alone at the 512-token shape.
  /// Their sum is an estimate of a layer without recording; compare with the forward rows above.
  static func breakdownRows(_ miniLM: MiniLM) {
    let n = 512
    let (d, f, heads) = (miniLM.config.dModel, miniLM.config.ffnDim, miniLM.config.numHeads)
    let dk = d / heads
    let saved = Bench.budget
    Bench.budget = min(saved, 0.4)
    defer { Bench.budget = saved }
    Bench.printHeader("where one layer's time goes: public kernels at MiniLM shape, \(n) tokens")
    var generator = SeededGenerator(seed: 3)
    let x = Tensor(shape: [n, d], scalars: (0..<(n * d)).map { _ in generator.nextNormal() })
    let hidden = Tensor(shape: [n, f], scalars: (0..<(n * f)).map { _ in generator.nextNormal() })
    let prefix = "encoder.layers.0"
    let qProj = Linear(miniLM.parameters, "\(prefix).self_attn.q_proj")
    let fc1 = Linear(miniLM.parameters, "\(prefix).ffn.fc1")
    let fc2 = Linear(miniLM.parameters, "\(prefix).ffn.fc2")
    let norm = LayerNorm(miniLM.parameters, "\(prefix).ffn_norm", epsilon: miniLM.config.layerNormEps)
    var perLayer: [(String, Double, Int)] = []  // name, median, calls per layer

    func add(_ m: Measurement, _ calls: Int) { perLayer.append((m.name, m.median, calls)) }
    add(
      Bench.row("Linear 384→384 (q/k/v/o each; 4 per layer)", derive: gflops(2.0 * Double(n * d * d))) {
        consume(qProj(x))
      }, 4)
    add(Bench.row("Linear 384→1536 (fc1)", derive: gflops(2.0 * Double(n * d * f))) { consume(fc1(x)) }, 1)
    add(
      Bench.row("Linear 1536→384 (fc2)", derive: gflops(2.0 * Double(n * d * f))) { consume(fc2(hidden)) }, 1)
    add(
      Bench.row("GELU (erf) on [512, 1536]", derive: { fixed(Double(n * f) / $0 / 1e6, 0) + " M/s" }) {
        consume(hidden.applying(.gelu))
      }, 1)
    add(Bench.row("LayerNorm [512, 384] (2 per layer)") { consume(norm(x)) }, 2)
    add(Bench.row("residual add [512, 384] (2 per layer)") { consume(x + x) }, 2)

    let q = Tensor(shape: [n, d], scalars: (0..<(n * d)).map { _ in generator.nextNormal() })
    var scores = [Float](repeating: 0, count: heads * n * n)
    var context = [Float](repeating: 0, count: n * d)
    add(
      Bench.row("QKᵀ/√dk, 12 heads of 512×32·32×512", derive: gflops(2.0 * Double(heads * n * n * dk))) {
        q.scalars.withUnsafeBufferPointer { qb in
          scores.withUnsafeMutableBufferPointer { sb in
            for h in 0..<heads {
              Gemm.multiply(
                MatrixView(qb.baseAddress! + h * dk, rows: n, columns: dk, stride: d),
                MatrixView(qb.baseAddress! + h * dk, rows: n, columns: dk, stride: d, transposed: true),
                into: sb.baseAddress! + h * n * n, alpha: 1 / Float(dk).squareRoot())
            }
          }
        }
        consume(scores)
      }, 1)
    add(
      Bench.row("Softmax.rows, 12 × 512×512", derive: { fixed(Double(heads * n * n) / $0 / 1e6, 0) + " M/s" })
      {
        scores.withUnsafeMutableBufferPointer { sb in
          for h in 0..<heads { Softmax.rows(sb.baseAddress! + h * n * n, rows: n, columns: n) }
        }
        consume(scores)
      }, 1)
    add(
      Bench.row("A·V, 12 heads of 512×512·512×32", derive: gflops(2.0 * Double(heads * n * n * dk))) {
        scores.withUnsafeBufferPointer { sb in
          q.scalars.withUnsafeBufferPointer { vb in
            context.withUnsafeMutableBufferPointer { cb in
              for h in 0..<heads {
                Gemm.multiply(
                  MatrixView(sb.baseAddress! + h * n * n, rows: n, columns: n),
                  MatrixView(vb.baseAddress! + h * dk, rows: n, columns: dk, stride: d),
                  into: cb.baseAddress! + h * dk, cStride: d)
              }
            }
          }
        }
        consume(context)
      }, 1)
    add(
      Bench.row("copy of 12×512×512 scores (what recording keeps)") {
        var copy = scores
        copy[0] = 1
        consume(copy)
      }, 0)

    print("")
    let total = perLayer.reduce(0) { $0 + $1.1 * Double($1.2) }
    print("  estimated layer without recording (sum of the kernels × calls): \(formatTime(total))")
    for (name, median, calls) in perLayer where calls > 0 {
      let share = median * Double(calls) / total * 100
      print(
        "    " + pad(name, 48) + lpad("×\(calls)", 4) + lpad(formatTime(median * Double(calls)), 12)
          + lpad(fixed(share, 1) + " %", 9))
    }
  }
}
