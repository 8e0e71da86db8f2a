// libFuzzer entry point for `--ablate`'s list parser (HeadAblation.parse): the first byte picks the
// model's attentions (one decoder, or encoder + decoder + cross) and their sizes, the rest is the
// list as text (invalid UTF-8 included); it must parse into heads inside those sizes or be refused
// with one line (`make fuzz`).
import Trace

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  guard size > 0 else { return 0 }
  let selector = Int(data[0])
  let (layers, heads) = (1 + selector % 5, 1 + (selector / 5) % 7)
  let sublayers: [(stack: AttentionStack, kind: AttentionKind, layers: Int, heads: Int)] =
    selector & 128 == 0
    ? [(.decoder, .masked, layers, heads)]
    : [
      (.encoder, .self, layers, heads), (.decoder, .masked, layers, heads), (.decoder, .cross, layers, heads),
    ]
  let text = String(decoding: UnsafeBufferPointer(start: data + 1, count: size - 1), as: UTF8.self)
  do {
    let ablation = try HeadAblation.parse(text, sublayers: sublayers)
    for head in ablation.heads {
      precondition(
        (0..<layers).contains(head.layer) && (0..<heads).contains(head.head), "out of range: \(head)")
    }
  } catch {
    precondition(!error.description.contains("\n"), "a refusal is one line")
  }
  return 0
}
