// libFuzzer entry point for vocabularies and tokenizers: the bytes before the first NUL are a
// vocabulary file, the rest a prompt (any bytes, invalid UTF-8 included) (`make fuzz`).
import Tokenization

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let bytes = Array(UnsafeBufferPointer(start: data, count: size))
  let split = bytes.firstIndex(of: 0) ?? bytes.count
  guard let vocabulary = try? Vocabulary.parse(Array(bytes[..<split]), fileName: "fuzz.txt") else {
    return 0
  }
  let prompt = String(decoding: bytes[min(bytes.count, split + 1)...], as: UTF8.self)
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
  return 0
}
