// libFuzzer entry point for the tokenizer.json loader (`make fuzz FUZZ_TARGETS=tokenizer-json`): the
// bytes before the first NUL are a tokenizer.json, the rest a prompt (any bytes, invalid UTF-8
// included). A file that loads must encode the prompt to ids inside its vocabulary, frame it, and
// decode any ids (out-of-range ones included) without trapping.
import Tokenization

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let bytes = Array(UnsafeBufferPointer(start: data, count: size))
  let split = bytes.firstIndex(of: 0) ?? bytes.count
  guard let tokenizer = try? HuggingFaceTokenizer.load(tokenizerJSON: Array(bytes[..<split])) else {
    return 0
  }
  let prompt = String(decoding: bytes[min(bytes.count, split + 1)...], as: UTF8.self)
  let tokens = tokenizer.encodeForModel(prompt)
  precondition(tokens.allSatisfy { $0.id >= 0 && $0.id < tokenizer.vocabularySize }, "id out of range")
  let ids = tokens.map(\.id)
  _ = tokenizer.decode(ids + [-1, tokenizer.vocabularySize, Int.max], skipSpecialTokens: false)
  _ = tokenizer.decode(ids, skipSpecialTokens: true)
  for id in ids.prefix(8) { _ = tokenizer.token(of: id).map { tokenizer.id(of: $0) } }
  return 0
}
