// The model seam: one reader per on-disk format turns a folder into an opened model, and each text
// model carries its format's conventions (`TextFormat`). Nothing outside a reader knows where the
// bytes came from; adding a format is one new file with a reader and a line in `ModelFormats.all`.
import Decoding
import Foundation
import JSON
import Tokenization
import Transformer

/// A model ready to use: text in (translation, language or encoder models), or an image (ViT).
public enum OpenedModel: Sendable {
  case text(LoadedModel)
  case image(LoadedVisionModel)

  public var name: String {
    switch self {
    case .text(let model): model.name
    case .image(let model): model.name
    }
  }
}

/// A model about to be opened: a folder, its config.json read and parsed once for every reader to
/// share, or a single-file model (a GGUF file), which has no config.json.
public struct ModelFolder: Sendable {
  public let url: URL
  /// The sample name or the last path component.
  public let name: String
  /// config.json of a folder; `.null` for a single file.
  public let config: JSONValue
  /// A single file rather than a folder.
  public let isFile: Bool

  public var path: String { url.path }

  /// Reads `folder/config.json`; a missing folder, file or malformed JSON is one line. A regular
  /// file is taken as a single-file model, for the readers to recognise by its contents.
  public init(path: String, name: String? = nil) throws(ModelError) {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
      throw ModelError("\(path): no such model folder or file")
    }
    url = URL(fileURLWithPath: path)
    self.name = name ?? url.lastPathComponent
    isFile = !isDirectory.boolValue
    if isFile {
      config = .null
      return
    }
    config = try ConfigFile.read(url.appendingPathComponent("config.json").path)
    guard config.objectMembers != nil else { throw ModelError("config.json: must be a JSON object") }
  }
}

/// One on-disk format: attnscope's own folders, Hugging Face folders (and GGUF files to come).
public protocol ModelFormatReader: Sendable {
  /// Whether this format's reader owns the folder, judged from its parsed config.json alone.
  static func reads(_ folder: ModelFolder) -> Bool
  /// Loads the weights, tokenizers and settings; every failure is one line naming the file.
  static func open(_ folder: ModelFolder) throws(ModelError) -> OpenedModel
}

public enum ModelFormats {
  /// Asked in order; the first that `reads` a folder opens it. attnscope's own format is last: it
  /// is the one whose error ("missing architecture") explains a folder nobody recognises.
  static let all: [any ModelFormatReader.Type] = [
    GGUFModelFile.self, HuggingFaceFolder.self, AttnscopeFolder.self,
  ]

  /// Opens the folder or file at `path` with the first reader that recognises it.
  public static func open(path: String, name: String? = nil) throws(ModelError) -> OpenedModel {
    let folder = try ModelFolder(path: path, name: name)
    guard let reader = all.first(where: { $0.reads(folder) }) ?? (folder.isFile ? nil : AttnscopeFolder.self)
    else {
      throw ModelError(
        "\(path): a file that is not a GGUF model (attnscope opens model folders and .gguf files)")
    }
    return try reader.open(folder)
  }

  /// Opens a bundled sample's name, a folder path (ModelCatalog resolves both) or a model in the
  /// Hugging Face cache (ORG/NAME[@REVISION], HubCache) or Ollama's store (ollama:NAME[:TAG]).
  public static func open(_ reference: String) throws(ModelError) -> OpenedModel {
    if reference.hasPrefix(OllamaStore.prefix) {
      return try open(path: try OllamaStore.blob(reference), name: reference)
    }
    guard let (folder, name) = ModelCatalog.resolve(reference) else {
      if HubCache.isHubName(reference) {
        return try open(path: try HubCache.snapshot(reference), name: reference)
      }
      let known = ModelCatalog.bundledNames()
      throw ModelError(
        "unknown model '\(reference)': not a folder, and not a bundled sample"
          + (known.isEmpty ? "" : " (bundled: \(known.joined(separator: ", ")))"))
    }
    return try open(path: folder, name: name)
  }
}

/// What a text model's format decides about its text and its decoding: how text becomes framed
/// tokens, which tokens start and end decoding, the generation defaults and beam semantics.
public protocol TextFormat: Sendable {
  /// Tokenizer of the encoder (or of the only stack), and of the decoder (the same for one stack).
  var sourceTokenizer: any TextTokenizer { get }
  var targetTokenizer: any TextTokenizer { get }
  /// Tokens of `text` as the model reads it on `side`, special tokens included, in at most `limit`
  /// positions (truncated inside the special tokens, with a notice). Empty text is an error.
  func frame(_ text: String, side: TextSide, limit: Int, notices: inout [String]) throws(ModelError)
    -> [Token]
  /// The first decoder token of an encoder-decoder model.
  var decoderStart: Token { get }
  /// Ends a decode.
  var endID: Int { get }
  /// The label of any id the model can produce.
  func label(of id: Int) -> String
  /// Beam semantics, default width and length penalty, shared by the TUI and the CLI.
  var policy: DecodingPolicy { get }
  /// Tokens a decode may generate by default after `promptLength` positions; nil: no default.
  func defaultMaxLength(promptLength: Int) -> Int?
  /// `base` with the format's logits processors (a Hugging Face generation config's bad words and
  /// forced end token), for decodes of at most `maxLength` tokens.
  func generationStepModel<Base: StepModel>(_ base: Base, maxLength: Int) -> any StepModel
  /// Things the user should know about this model whatever the input (settings not applied).
  var notices: [String] { get }
}

/// Where a text goes: the encoder, a decoder-only model's prompt, or an encoder-decoder's target.
public enum TextSide: String, Sendable {
  case input, prompt, target

  var noun: String { self == .target ? "target" : "input" }
}

extension TextFormat {
  /// `tokens` cut to `limit` with a notice naming the side and the table size.
  func truncated(_ tokens: [Token], side: TextSide, limit: Int, maxPositions: Int, _ notices: inout [String])
    -> [Token]
  {
    guard tokens.count > limit else { return tokens }
    notices.append(
      "\(side.noun) truncated from \(tokens.count) to \(max(0, limit)) tokens (max_positions \(maxPositions))"
    )
    return Array(tokens.prefix(max(0, limit)))
  }
}
