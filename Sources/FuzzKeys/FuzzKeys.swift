// libFuzzer entry point for the terminal's input decoders: every 5 bytes are a key code and a
// flag, as wget_wch reports them, then the same 4 bytes as a getmouse button state; any value must
// decode or be ignored (`make fuzz`).
import CNcurses
import Terminal

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  var offset = 0
  while offset + 5 <= size {
    var code: UInt32 = 0
    for i in 0..<4 { code |= UInt32(data[offset + i]) << (8 * i) }
    _ = decodeKeyCode(Int32(bitPattern: code), isFunctionKey: data[offset + 4] & 1 == 1)
    _ = decodeMouseButton(mmask_t(code))
    offset += 5
  }
  return 0
}
