// libFuzzer entry point for the terminal's key decoder: every 5 bytes are a key code and a
// function-key flag, as wget_wch reports them; any value must decode or be ignored (`make fuzz`).
import Terminal

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  var offset = 0
  while offset + 5 <= size {
    var code: Int32 = 0
    for i in 0..<4 { code |= Int32(data[offset + i]) << (8 * i) }
    _ = decodeKeyCode(code, isFunctionKey: data[offset + 4] & 1 == 1)
    offset += 5
  }
  return 0
}
