// Where a model's tensors come from, under the names transformers gives them: a folder's
// safetensors files (HFCheckpoint), or another container translated to those names (a GGUF file,
// Workbench's GGUFCheckpoint). The families and HFWeights only ever see this protocol.
import Tensors
import Transformer

public protocol CheckpointTensors: Sendable {
  /// Every tensor name, transformers' spelling.
  var names: [String] { get }
  /// For messages: "model.safetensors", "the sharded checkpoint", "model.gguf".
  var displayName: String { get }
  func contains(_ name: String) -> Bool
  /// The tensor's shape in PyTorch order ([out, in] for a weight).
  func shape(_ name: String) throws(ModelError) -> [Int]
  /// Its values as Float32 (finite, checked).
  func floats(_ name: String) throws(ModelError) -> [Float]
  /// A 2-D tensor kept in its stored precision (16-bit floats, quantised blocks); nil when it is
  /// stored as Float32 (or the source has no compact form), so `floats` is the way to read it.
  func packedRows(_ name: String) throws(ModelError) -> (any PackedRows)?
}

extension CheckpointTensors {
  /// `candidate` when the checkpoint names `candidate + probe` (e.g. "bert." for BertFor… heads).
  func prefix(_ candidate: String, ifContains probe: String) -> String {
    contains(candidate + probe) ? candidate : ""
  }
}

extension HFCheckpoint: CheckpointTensors {
  func packedRows(_ name: String) throws(ModelError) -> (any PackedRows)? {
    let shape = try shape(name)
    guard shape.count == 2, let (format, bits) = try halfBits(name) else { return nil }
    return HalfPrecisionRows(format: format, rows: shape[0], columns: shape[1], bits: bits)
  }
}
