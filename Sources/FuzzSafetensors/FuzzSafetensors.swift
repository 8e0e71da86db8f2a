// libFuzzer entry point for the safetensors reader: any bytes must give a file or a SafetensorsError,
// never a crash, and an accepted file's tensors must all be readable within its bounds.
// Build and run: make fuzz FUZZ_TARGETS=safetensors (the flags are in the Makefile)
import Safetensors

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let bytes = Array(UnsafeBufferPointer(start: data, count: size))
  guard let file = try? SafetensorsFile(bytes: bytes, fileName: "fuzz.safetensors") else { return 0 }
  for tensor in file.tensorsInOrder {
    _ = try? file.floats(tensor.name)
    _ = try? file.integers(tensor.name)
  }
  return 0
}
