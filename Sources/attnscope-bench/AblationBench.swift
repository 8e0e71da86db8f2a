// Issue 16's speed rows (`--only ablation`): switching a head off on the model view and redrawing —
// the key, the host's re-run of the ablated model (ViewerSession, as in the TUI), the answer and
// the frame — on the bundled samples (bar ≤ 16 ms), and the re-run of a 64-token input on
// SmolLM2-135M with one head off (bar ≤ 150 ms), beside the logit lens of the same input.
import AppCore
import Render
import Tokenization
import Trace
import ViewerHost
import Workbench

extension AttnscopeBench {
  static func ablationRows() throws {
    let size = (width: 100, height: 30)
    Bench.printHeader(
      "a on the model view: key → ablated re-run → frame, \(size.width)×\(size.height) (bar ≤ 16 ms)")
    for name in ["en-it", "induction", "reverse"] {
      let session = try ViewerSession(model: try ModelFormats.open(name))
      let view = try session.view()
      var state = AppState(trace: view.trace, modelDescription: view.description, depth: .palette256)
      _ = update(&state, .opened(view))
      _ = update(&state, .key(.character("5")), size: size)
      Bench.row("\(name): a + ablated trace + update + view + ANSI") {
        var (s, host) = (state, session)
        for effect in update(&s, .key(.character("a")), size: size) {
          if let message = host.perform(effect, state: s, size: size) { _ = update(&s, message) }
        }
        consume(ANSIExporter.render(AppView.view(s, size: size), depth: .palette256))
      }
    }
    guard let folder = smolLM2Folder else {
      print("\n(skipped SmolLM2 ablation rows: no SmolLM2 folder; run scripts/make_real_llm_fixtures.py)")
      return
    }
    let loaded = try LoadedModel(folder: folder)
    let ids = promptIDs(64, vocabulary: loaded.config.decoderVocabSize)
    let ablated = loaded.ablating(
      HeadAblation([AblatedHead(stack: .decoder, kind: .masked, layer: 0, head: 0)]))
    Bench.printHeader("SmolLM2-135M, 64 tokens, one head off (bar ≤ 150 ms)")
    Bench.row("re-run: forward + every attention and q/k/v recorded (as the TUI)") {
      let recorder = AttentionRecorder(recordsVectors: true)
      consume(try! ablated.model.forward(decoderIDs: ids, recorder: recorder))
      consume(recorder.entries)
    }
    Bench.row("re-run: forward alone") { consume(try! ablated.model.forward(decoderIDs: ids)) }
    let tokens = ids.map { Token(id: $0, label: loaded.label($0)) }
    Bench.row("logit lens: residual stream + 31 readings, top 8") {
      consume(try! ablated.lens(encoderIDs: nil, decoder: tokens, top: 8))
    }
  }
}
