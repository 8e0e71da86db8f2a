// Marian's target side: transformers' MarianTokenizer segments `text_target` with target.spm (the
// target language's SentencePiece model) and maps the pieces through the shared vocab.json.

import Foundation

extension HuggingFaceTokenizer {
  /// The tokenizer for target-side text of a Marian folder with its own target.spm; nil for every
  /// other folder (their target text is tokenised like the source).
  public static func loadMarianTarget(folder: URL) throws(TokenizationError) -> (any SubwordTokenizer)? {
    let files = Folder(url: folder)
    guard files.exists("source.spm"), files.exists("target.spm"), files.exists("vocab.json") else {
      return nil
    }
    return try marian(files, config: try TokenizerConfig(folder: files), model: "target.spm")
  }
}
