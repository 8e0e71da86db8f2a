// libFuzzer entry point for vocabularies and tokenizers (`make fuzz`). The first byte modulo 5
// picks the target; the bytes before the next NUL are a file, the rest a prompt (any bytes,
// invalid UTF-8 included): 1 vocab.txt (WordPiece), 2 merges.txt over the byte-level alphabet
// (with bit 3 set, the prompt's words also as added tokens),
// 3 a SentencePiece .model, 4 vocab.json text; 0 the word/character vocabulary, reading the
// whole input including that byte (so "<pad>…" seeds keep working: "<" is 60).
import Tokenization

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let all = Array(UnsafeBufferPointer(start: data, count: size))
  guard let selector = all.first else { return 0 }
  let bytes = selector % 5 == 0 ? all : Array(all.dropFirst())
  let split = bytes.firstIndex(of: 0) ?? bytes.count
  let file = Array(bytes[..<split])
  let prompt = String(decoding: bytes[min(bytes.count, split + 1)...], as: UTF8.self)
  switch selector % 5 {
  case 0: fuzzVocabulary(file, prompt)
  case 1:
    guard let lines = try? HuggingFaceTokenizer.parseVocabTxt(file, fileName: "vocab.txt"),
      let tokenizer = try? WordPieceTokenizer(
        vocabulary: lines.enumerated().map { ($1, $0) }, fileName: "vocab.txt",
        basicTokenizer: BasicTokenizer(lowercase: selector & 8 != 0))
    else { return 0 }
    exercise(tokenizer, prompt)
  case 2:
    guard let merges = try? HuggingFaceTokenizer.parseMerges(file, fileName: "merges.txt") else { return 0 }
    // Every byte character plus every merge result, so most merges are accepted.
    var pieces = byteAlphabet
    for merge in merges where !pieces.contains(merge.left + merge.right) {
      pieces.append(merge.left + merge.right)
    }
    // With bit 3 set, the prompt's first words are also added tokens (tokenizer.json's
    // added_tokens), so the added-token splitter sees overlapping and nested tokens.
    let words = selector & 8 != 0 ? Array(Set(prompt.split(separator: " ").prefix(32).map(String.init))) : []
    let added = words.sorted().enumerated().map { (content: $1, id: pieces.count + $0, special: $0 % 2 == 0) }
    guard
      let tokenizer = try? ByteLevelBPETokenizer(
        vocabulary: pieces.enumerated().map { ($1, $0) }, vocabularyFile: "vocab.json", merges: merges,
        mergesFile: "merges.txt", addedTokens: added)
    else { return 0 }
    exercise(tokenizer, prompt)
  case 3:
    guard let model = try? SentencePieceModel(protobuf: file, fileName: "source.spm") else { return 0 }
    let pieces = model.encode(prompt)
    precondition(pieces.allSatisfy { model.pieces.indices.contains($0.id) }, "spm id out of range")
    _ = model.decodePieces(pieces.map(\.piece))
  default:
    _ = try? HuggingFaceTokenizer.parseVocabJSON(file, fileName: "vocab.json")
  }
  return 0
}

/// GPT-2's 256 byte characters: printable bytes as themselves, the rest from U+0100 on.
private let byteAlphabet: [String] = {
  var out: [String] = []
  var next: UInt32 = 256
  for byte in UInt32(0)..<256 {
    let printable = (33...126).contains(byte) || (161...172).contains(byte) || (174...255).contains(byte)
    let scalar = printable ? byte : next
    if !printable { next += 1 }
    out.append(String(Unicode.Scalar(scalar)!))
  }
  return out
}()

private func exercise(_ tokenizer: any SubwordTokenizer, _ prompt: String) {
  let tokens = tokenizer.addingSpecialTokens(tokenizer.encode(prompt))
  precondition(tokens.allSatisfy { $0.id >= 0 && $0.id < tokenizer.vocabularySize }, "id out of range")
  _ = tokenizer.decode(tokens.map(\.id) + [-1, tokenizer.vocabularySize], skipSpecialTokens: false)
}

private func fuzzVocabulary(_ file: [UInt8], _ prompt: String) {
  guard let vocabulary = try? Vocabulary.parse(file, fileName: "fuzz.txt") else { return }
  for lowercase in [false, true] {
    let tokenizers: [any TextTokenizer] = [
      WordTokenizer(vocabulary: vocabulary, lowercase: lowercase),
      CharacterTokenizer(vocabulary: vocabulary, lowercase: lowercase),
    ]
    for tokenizer in tokenizers {
      let tokens = tokenizer.encode(prompt)
      precondition(tokens.allSatisfy { $0.id >= 0 && $0.id < vocabulary.count }, "id out of range")
      _ = tokenizer.decode(tokens.map(\.id) + [-1, vocabulary.count])
    }
  }
}
