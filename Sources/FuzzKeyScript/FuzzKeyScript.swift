// libFuzzer entry point for `--keys` (AppCore's KeyScript): any bytes, decoded as UTF-8 with
// replacement, must parse into steps or fail with one line naming the word (`make fuzz`).
import AppCore

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
  do {
    let steps = try KeyScript.parse(text)
    // Every step comes from at least one character of the script.
    precondition(steps.count <= text.count)
  } catch {
    precondition(!error.description.contains("\n") && error.description.hasPrefix("--keys: "))
    precondition(
      !error.description.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) })
  }
  return 0
}
