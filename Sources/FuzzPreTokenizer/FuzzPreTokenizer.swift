// libFuzzer entry point for the Split pre-tokenizer's regex engine (`make fuzz
// FUZZ_TARGETS=pre-tokenizer`): the bytes before the first NUL are a pattern, the rest a text. A
// pattern is either refused with a reason or cuts the text into pieces that put back together give
// the text exactly, in bounded steps (a hang is a finding: libFuzzer's -timeout).
import Tokenization

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let bytes = Array(UnsafeBufferPointer(start: data, count: size))
  let split = bytes.firstIndex(of: 0) ?? bytes.count
  let pattern = String(decoding: bytes[..<split], as: UTF8.self)
  let text = String(decoding: bytes[min(bytes.count, split + 1)...], as: UTF8.self)
  guard let pieces = try? RegexSplit.isolatedPieces(pattern: pattern, text: text) else { return 0 }
  precondition(
    pieces.joined().unicodeScalars.elementsEqual(text.unicodeScalars), "pieces do not cover the text")
  precondition(pieces.allSatisfy { !$0.isEmpty }, "an empty piece")
  return 0
}
