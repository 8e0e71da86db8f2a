// `--ablate L.H[,L.H…]` (1-based layer and head; `enc.` / `dec.` / `cross.` where a model has several
// attentions), shared by `attention`, `decode` and `lens`: the opened model with those heads' outputs
// zeroed before the output projection (HeadAblation.swift). Its range is the model's, so it is checked
// once the model is open; a malformed or out-of-range list is one line, exit status 1.
import ArgumentParser
import Trace
import Transformer
import Workbench

struct AblationOption: ParsableArguments {
  @Option(
    name: .customLong("ablate"),
    help: "Switch heads off: L.H[,L.H…], 1-based (enc.L.H / dec.L.H / cross.L.H for encoder-decoder models).")
  var list: String?

  /// The heads `--ablate` names (empty without the flag).
  func ablation(for opened: OpenedModel) throws -> HeadAblation {
    guard let list else { return HeadAblation() }
    return try userFacing { () throws(ModelError) in try opened.ablation(parsing: list) }
  }

  /// `opened` with the heads switched off, and a notice saying which.
  func apply(to opened: OpenedModel) throws -> OpenedModel {
    let ablation = try self.ablation(for: opened)
    guard !ablation.isEmpty else { return opened }
    Output.notice(
      "ablated heads: " + ablation.summary(qualified: opened.attentionSublayers.count > 1)
        + " (outputs zeroed before the output projection)")
    return opened.ablating(ablation)
  }

  func apply(to loaded: LoadedModel) throws -> LoadedModel {
    guard case .text(let ablated) = try apply(to: .text(loaded)) else { return loaded }
    return ablated
  }
}
