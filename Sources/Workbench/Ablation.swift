// Head ablation at the model seam: an opened model with some attention heads switched off
// (TransformerModel.ablating), whatever its format, and `--ablate`'s list checked against the
// model's own layers and heads.
import Trace
import Transformer

extension LoadedModel {
  /// The same model with `ablation`'s heads silenced (the weights are shared, not copied).
  public func ablating(_ ablation: HeadAblation) -> LoadedModel {
    LoadedModel(name: name, folder: folder, config: config, model: model.ablating(ablation), format: format)
  }
}

extension LoadedVisionModel {
  public func ablating(_ ablation: HeadAblation) -> LoadedVisionModel {
    LoadedVisionModel(
      name: name, folder: folder, config: config, model: model.ablating(ablation),
      resizesLikePillow: resizesLikePillow)
  }
}

extension OpenedModel {
  public func ablating(_ ablation: HeadAblation) -> OpenedModel {
    switch self {
    case .text(let model): .text(model.ablating(ablation))
    case .image(let model): .image(model.ablating(ablation))
    }
  }

  /// The attention sublayers `--ablate` can name, with their layer and head counts.
  public var attentionSublayers: [(stack: AttentionStack, kind: AttentionKind, layers: Int, heads: Int)] {
    switch self {
    case .text(let model): model.model.attentionSublayers
    case .image(let model): [(.encoder, .self, model.model.layers.count, model.config.numHeads)]
    }
  }

  /// `--ablate`'s list for this model (HeadAblation.parse), as a one-line `ModelError`.
  public func ablation(parsing text: String) throws(ModelError) -> HeadAblation {
    do { return try HeadAblation.parse(text, sublayers: attentionSublayers) } catch {
      throw ModelError("\(error.description) (\(name))")
    }
  }
}
