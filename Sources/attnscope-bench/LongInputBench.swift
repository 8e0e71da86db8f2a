// Issue 17's rows (`--only long-gpt2`, `--only long-qwen2`, each alone in its process since peak
// memory is a high-water mark): a random-weight model folder (scripts/make_long_input_models.py)
// opened, traced on a long input as the viewer traces it (on demand, vectors kept), one head shown,
// moving to the next layer and head, the full layer the other screens read (GPT-2 only), and one
// head exported as JSON; each step's time and the process's peak RSS after it.
import AppCore
import Foundation
import Trace
import Workbench

extension AttnscopeBench {
  static func longInputRows(_ section: String) throws {
    let (folderName, tokens, fullLayer) =
      section == "long-qwen2" ? ("random-qwen2-0.5b", 4096, false) : ("random-gpt2-small", 1024, true)
    guard let folder = llmFolder("ATTNSCOPE_LONG_MODEL", folderName) else {
      print("\n(skipped \(section): no \(folderName) folder; run scripts/make_long_input_models.py)")
      return
    }
    let clock = ContinuousClock()
    var last = clock.now
    func step(_ what: String) {
      let now = clock.now
      print(
        "  \(pad(what, 58)) \(lpad(fixed((now - last).seconds, 2) + " s", 9))   peak RSS "
          + megabytes(Machine.peakResidentBytes()))
      last = clock.now
    }
    Bench.printHeader("long input: \(folderName), \(tokens) tokens (\(Machine.loadAverage()))")
    let loaded = try LoadedModel(folder: folder)
    step("open the folder (\(megabytes(loaded.model.storedBytes)) of weights in memory)")
    // Longer than the model's positions: the framing truncates it to exactly `tokens`.
    let sentence = "The quick brown fox jumps over the lazy dog while the cat watches from the window. "
    let text = String(repeating: sentence, count: tokens / 8)
    let result = try loaded.trace(text: text, recordsVectors: true)
    let trace = result.trace
    let n = trace.layout.first?.queries.count ?? 0
    step("trace \(n) tokens (\(trace.computesOnDemand ? "on demand" : "held"), one pass)")
    let middle = trace.entryCount / 2
    // What the viewer does: screen 1 drawn (120 × 40) on the middle layer, then `>` and `]`.
    let size = (width: 120, height: 40)
    var state = AppState(trace: trace, modelDescription: folderName, depth: .palette256)
    state.layer = trace.layout[middle].layer
    consume(AppView.view(state, size: size))
    step("screen 1: one head drawn (layer \(trace.layout[middle].layer + 1), head 1)")
    _ = update(&state, .key(.character(">")), size: size)
    consume(AppView.view(state, size: size))
    step("> next layer (head 1), drawn")
    _ = update(&state, .key(.character("]")), size: size)
    consume(AppView.view(state, size: size))
    step("] next head, drawn")
    _ = update(&state, .key(.character("<")), size: size)
    _ = update(&state, .key(.character("[")), size: size)
    consume(AppView.view(state, size: size))
    step("< [ back to the first head shown (cached), drawn")
    if fullLayer {
      consume(trace.entry(at: 0))
      step("every head of layer 1 (the model view, q·k detail)")
    }
    let picked = try trace.selecting(layer: trace.layout[middle].layer, head: 0)
    var bytes = 0
    var output = ChunkWriter { bytes += $0.count }
    try TraceExport.writeJSON(picked, to: &output)
    try output.finish()
    step("export that head as JSON (\(megabytes(bytes)))")
    for notice in result.notices { print("  notice: \(notice)") }
  }
}

extension AttnscopeBench {
  /// Issue 17's GPT-2 goal (`--only gpt2-1024`): the random-weight GPT-2-small folder on a 1,024-token
  /// prompt with every attention recorded (12 layers × 12 heads × 1,024², 1.2 GB of weights and
  /// scores), the same ids scripts/bench_gpt2_pytorch.py gives PyTorch eager.
  static func gpt2PromptRows() throws {
    guard let folder = llmFolder("ATTNSCOPE_LONG_MODEL", "random-gpt2-small") else {
      print("\n(skipped gpt2-1024: no random-gpt2-small folder; run scripts/make_long_input_models.py)")
      return
    }
    let loaded = try LoadedModel(folder: folder)
    let ids = promptIDs(1024, vocabulary: loaded.config.decoderVocabSize)
    Bench.printHeader("GPT-2 small shape (random weights), 1,024-token prompt (bar ≤ 0.5 × PyTorch eager)")
    Bench.row("prompt pass + AttentionRecorder, 1024 tokens", minIterations: 3) {
      let recorder = AttentionRecorder()
      consume(try! loaded.model.forward(decoderIDs: ids, recorder: recorder))
      consume(recorder.entries)
    }
  }
}
