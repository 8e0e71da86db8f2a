// The common shape of the Hugging Face tokenizers (WordPiece, byte-level BPE, SentencePiece):
// text → tokens with their real piece labels, ids → text, and the model's special tokens.

/// Which algorithm a loaded tokenizer runs.
public enum SubwordTokenizerKind: String, Sendable, Equatable {
  case wordPiece = "WordPiece"
  case byteLevelBPE = "byte-level BPE"
  /// BPE over characters with "▁" for spaces and <0xAB> byte fallback (Llama 2, Mistral, Gemma, Phi-3).
  case sentencePieceBPE = "SentencePiece-style BPE"
  case sentencePieceUnigram = "SentencePiece unigram"
}

/// Ids of the special tokens a model has; nil where it has none.
public struct SpecialTokenIDs: Sendable, Equatable {
  public var unknown: Int?
  public var padding: Int?
  /// BERT's [CLS] and [SEP].
  public var classifier: Int?
  public var separator: Int?
  public var mask: Int?
  /// Beginning / end of sequence (GPT-2's <|endoftext|>, Marian's </s>).
  public var beginning: Int?
  public var end: Int?

  public init(
    unknown: Int? = nil, padding: Int? = nil, classifier: Int? = nil, separator: Int? = nil,
    mask: Int? = nil, beginning: Int? = nil, end: Int? = nil
  ) {
    self.unknown = unknown
    self.padding = padding
    self.classifier = classifier
    self.separator = separator
    self.mask = mask
    self.beginning = beginning
    self.end = end
  }

  /// Every special id, as `transformers`' `all_special_ids` (skipped by `decode`).
  public var all: Set<Int> {
    Set([unknown, padding, classifier, separator, mask, beginning, end].compactMap { $0 })
  }
}

public protocol SubwordTokenizer: Sendable {
  var kind: SubwordTokenizerKind { get }
  /// Number of ids (the embedding rows the model needs at least).
  var vocabularySize: Int { get }
  var specialTokens: SpecialTokenIDs { get }
  /// Tokens of `text` without the model's added special tokens. Special-token text typed in the
  /// prompt ("[MASK]", "</s>") stays one token, as in `transformers`.
  func encode(_ text: String) -> [Token]
  /// `tokens` framed as the model expects: [CLS] x [SEP] for BERT, x </s> for Marian, x for GPT-2.
  func addingSpecialTokens(_ tokens: [Token]) -> [Token]
  /// Text of `ids`, as `transformers`' `decode`.
  func decode(_ ids: [Int], skipSpecialTokens: Bool) -> String
  /// The piece of `id`, nil when out of range.
  func token(of id: Int) -> String?
  /// The id of a piece (exact match), nil when absent.
  func id(of token: String) -> Int?
}

extension SubwordTokenizer {
  /// Text of `ids` without special tokens.
  public func decode(_ ids: [Int]) -> String { decode(ids, skipSpecialTokens: true) }

  /// `encode` followed by `addingSpecialTokens`: the model's input.
  public func encodeForModel(_ text: String) -> [Token] { addingSpecialTokens(encode(text)) }
}

/// A dictionary key comparing text byte for byte; `String` equality would merge canonically
/// equivalent pieces ("é" and "e\u{301}") that a vocabulary keeps apart.
typealias PieceKey = [UInt8]

extension String {
  var pieceKey: PieceKey { Array(utf8) }
}
