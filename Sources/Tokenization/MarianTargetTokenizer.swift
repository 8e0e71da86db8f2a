// Marian's target side: transformers' MarianTokenizer segments `text_target` with target.spm (the
// target language's SentencePiece model) and maps the pieces through the shared vocab.json.

import Foundation

extension HuggingFaceTokenizer {
  /// The tokenizer for target-side text of a Marian folder with its own target.spm; nil for every
  /// other folder (their target text is tokenised like the source).
  public static func loadMarianTarget(folder: URL) throws(TokenizationError) -> (any SubwordTokenizer)? {
    let source = folder.appendingPathComponent("source.spm").path
    let target = folder.appendingPathComponent("target.spm").path
    let vocabulary = folder.appendingPathComponent("vocab.json").path
    guard FileManager.default.fileExists(atPath: source), FileManager.default.fileExists(atPath: target),
      FileManager.default.fileExists(atPath: vocabulary)
    else { return nil }
    func read(_ path: String) throws(TokenizationError) -> [UInt8] {
      guard let data = FileManager.default.contents(atPath: path) else {
        throw TokenizationError("\((path as NSString).lastPathComponent): cannot read")
      }
      return [UInt8](data)
    }
    return try MarianTokenizer(
      source: try SentencePieceModel(protobuf: try read(target), fileName: "target.spm"),
      vocabulary: try parseVocabJSON(try read(vocabulary), fileName: "vocab.json"),
      vocabularyFile: "vocab.json")
  }
}
