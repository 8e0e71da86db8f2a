// A text model made usable: the engine model and its format's conventions (`TextFormat`), the one
// interface the CLI, the TUI host and the benchmark use — tracing one input, decoding sources and
// step models, the decoding policy, labels and metadata — whatever format the model came from.
import Decoding
import Foundation
import Tokenization
import Transformer

public struct LoadedModel: Sendable {
  /// The sample name or the folder's last path component.
  public let name: String
  public let folder: String
  public let config: ModelConfig
  public let model: TransformerModel
  /// How the model's format frames text and decodes (AttnscopeText, HuggingFaceText).
  public let format: any TextFormat

  public init(
    name: String, folder: String = "", config: ModelConfig, model: TransformerModel, format: any TextFormat
  ) {
    self.name = name
    self.folder = folder
    self.config = config
    self.model = model
    self.format = format
  }

  /// A model already in memory (e.g. one being trained) with attnscope's own framing.
  public init(
    name: String, config: ModelConfig, model: TransformerModel, sourceTokenizer: any TextTokenizer,
    targetTokenizer: any TextTokenizer
  ) {
    self.init(
      name: name, config: config, model: model,
      format: AttnscopeText(config: config, source: sourceTokenizer, target: targetTokenizer))
  }

  /// Opens the text model in `folder`, whatever its format (ModelFormats); an image model is refused.
  public init(folder: String, name: String? = nil) throws(ModelError) {
    switch try ModelFormats.open(path: folder, name: name) {
    case .text(let model): self = model
    case .image(let model): throw ModelError("\(model.name) is an image model: give it an image, not text")
    }
  }

  public var sourceTokenizer: any TextTokenizer { format.sourceTokenizer }
  public var targetTokenizer: any TextTokenizer { format.targetTokenizer }
  public var endID: Int { format.endID }
  public var policy: DecodingPolicy { format.policy }
  @Sendable public func label(_ id: Int) -> String { format.label(of: id) }
  /// The one line the viewer's status shows for this model.
  public var description: String { config.description ?? name }
}
