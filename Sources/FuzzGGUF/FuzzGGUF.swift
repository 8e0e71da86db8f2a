// libFuzzer entry point for the GGUF reader: any bytes must give a file or a GGUFError, never a
// crash, a hang or an unbounded allocation; an accepted file's metadata must all be readable and
// every supported tensor decodable (and multipliable) within its bounds.
// Build and run: make fuzz FUZZ_TARGETS=gguf (the flags are in the Makefile)
import GGUF

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let bytes = Array(UnsafeBufferPointer(start: data, count: size))
  guard let file = try? GGUFFile(bytes: bytes, fileName: "fuzz.gguf") else { return 0 }
  for key in file.metadataKeys {
    guard let value = try? file.value(key) else { continue }
    _ = value.description
    if case .array(let array) = value { walk(array) }
    _ = try? file.int(key)
    _ = try? file.float(key)
    _ = try? file.string(key)
  }
  for info in file.tensors where info.type.isSupported && info.elementCount <= 1 << 16 {
    _ = try? file.floats(info.name)
    guard let matrix = try? file.matrix(info.name) else { continue }
    let x = [Float](repeating: 0.5, count: 2 * matrix.columns)
    var y = [Float](repeating: 0, count: 2 * matrix.rows)
    x.withUnsafeBufferPointer { xs in
      y.withUnsafeMutableBufferPointer { ys in
        matrix.multiplyRows(x: xs.baseAddress!, n: 2, into: ys.baseAddress!)
      }
    }
  }
  return 0
}

private func walk(_ array: GGUFArray) {
  _ = try? array.values()
  _ = try? array.strings()
  _ = try? array.integers()
  _ = try? array.floats()
  if let nested = try? array.arrays() { nested.forEach(walk) }
}
