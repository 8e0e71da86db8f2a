// libFuzzer entry point for config.json: any bytes must decode to a config or fail with an error,
// and a config that validates must list its parameters without trapping (`make fuzz`).
import Foundation
import Transformer

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let bytes = Data(UnsafeBufferPointer(start: data, count: size))
  guard let config = try? JSONDecoder().decode(ModelConfig.self, from: bytes) else { return 0 }
  guard (try? config.validate()) != nil else { return 0 }
  _ = config.parameterSpecs.count
  return 0
}
