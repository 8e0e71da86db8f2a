// libFuzzer entry point for config.json: any bytes go through the JSON module's parser (whose
// errors must locate themselves inside the input, and whose accepted values must serialise and
// parse back equal) and JSONValueDecoder into a ModelConfig or fail with an error, and a config that
// validates must list its parameters without trapping; the same value as a Hugging Face config
// (any model_type, the LLM families' rope, layer-type and sliding-window keys among them) maps onto
// an engine config or fails with one line (`make fuzz`).
import HuggingFace
import JSON
import Transformer

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let bytes = UnsafeBufferPointer(start: data, count: size)
  let value: JSONValue
  do { value = try JSONValue.parse(bytes) } catch {
    precondition(error.offset >= 0 && error.offset <= size && error.line >= 1 && error.column >= 1)
    return 0
  }
  precondition((try? JSONValue.parse(value.serialized())) == value, "serialisation does not round-trip")
  do {
    let mapped = try HuggingFaceModel.engineConfig(value)
    _ = mapped.parameterSpecs.count
  } catch {
    precondition(!error.description.contains("\n"), "one line")
  }
  guard let config = try? ModelConfig(json: value) else { return 0 }
  guard (try? config.validate()) != nil else { return 0 }
  _ = config.parameterSpecs.count
  return 0
}
