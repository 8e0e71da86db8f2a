// Named parameter tensors: read from safetensors with every shape checked against the config,
// written back, or initialised at random with a seed.
import Safetensors
import Tensors

public struct ParameterStore: Sendable {
  public private(set) var tensors: [String: Tensor]
  /// Matrices kept in their stored precision (16-bit checkpoints, GGUF blocks); `matrix(_:)` reads
  /// them, and they are never part of `tensors` (training and saving see dense Float32 only).
  public private(set) var packed: [String: any PackedRows]

  public init(tensors: [String: Tensor], packed: [String: any PackedRows] = [:]) {
    self.tensors = tensors
    self.packed = packed
  }

  /// Loads exactly the parameters `config` implies: a missing tensor, a shape that disagrees with the
  /// config, or a tensor the config does not use is an error naming the file and the tensor.
  public init(file: SafetensorsFile, config: ModelConfig) throws(ModelError) {
    let specs = config.parameterSpecs
    var tensors: [String: Tensor] = [:]
    let fileName = file.fileName
    for spec in specs {
      guard file.contains(spec.name) else {
        throw ModelError("\(fileName): missing tensor '\(spec.name)' (config expects \(spec.shape))")
      }
      // The shape first: a tensor the config does not expect is never read.
      let info: SafetensorsTensorInfo
      do { info = try file.info(spec.name) } catch { throw ModelError(error.description) }
      guard info.shape == spec.shape else {
        throw ModelError(
          "\(fileName): tensor '\(spec.name)' has shape \(info.shape), config.json implies \(spec.shape)")
      }
      let scalars: [Float]
      do { scalars = try file.finiteFloats(spec.name) } catch { throw ModelError(error.description) }
      tensors[spec.name] = Tensor(shape: spec.shape, scalars: scalars)
    }
    let expected = Set(specs.map(\.name))
    if let extra = file.tensorsInOrder.first(where: { !expected.contains($0.name) }) {
      throw ModelError("\(fileName): unexpected tensor '\(extra.name)' (not used by config.json)")
    }
    self.tensors = tensors
    packed = [:]
  }

  /// Random initialisation, reproducible from `seed`: weights ~ N(0, 1/fan_in), LayerNorm weights 1
  /// and biases 0, token embeddings ~ N(0, 1) — or N(0, 1/d) when they are scaled by √d, so the
  /// scaled embedding still has unit variance (as fairseq initialises Vaswani et al.'s model) —
  /// and learned positions ~ N(0, 0.1²) so they do not drown the tokens.
  public init(randomFor config: ModelConfig, seed: UInt64) {
    var generator = SeededGenerator(seed: seed)
    var tensors: [String: Tensor] = [:]
    for spec in config.parameterSpecs {
      let count = spec.shape.reduce(1, *)
      let isNorm = spec.name.hasSuffix("norm.weight") || spec.name.hasSuffix("norm.bias")
      let scalars: [Float]
      if isNorm {
        scalars = Array(repeating: spec.name.hasSuffix(".weight") ? 1 : 0, count: count)
      } else if spec.shape.count == 1 {
        scalars = Array(repeating: 0, count: count)
      } else {
        let std: Float
        if spec.name.hasSuffix("embed_tokens.weight") {
          std = config.scaleEmbeddings ? 1 / Float(config.dModel).squareRoot() : 1
        } else if spec.name.hasSuffix("embed_positions.weight") {
          std = 0.1
        } else {
          std = 1 / Float(spec.shape[1]).squareRoot()
        }
        scalars = (0..<count).map { _ in generator.nextNormal() * std }
      }
      tensors[spec.name] = Tensor(shape: spec.shape, scalars: scalars)
    }
    self.tensors = tensors
    packed = [:]
  }

  /// A weight matrix, packed or dense.
  public func matrix(_ name: String) -> WeightMatrix {
    if let rows = packed[name] { return .packed(rows) }
    return .dense(self[name])
  }

  public func contains(_ name: String) -> Bool { tensors[name] != nil || packed[name] != nil }

  /// Bytes of every parameter as held in memory.
  public var storedBytes: Int {
    tensors.values.reduce(0) { $0 + $1.count * 4 } + packed.values.reduce(0) { $0 + $1.storedBytes }
  }

  /// A dense parameter; a packed one is decoded (vectors and small tables only reach here).
  public subscript(name: String) -> Tensor {
    if let tensor = tensors[name] { return tensor }
    if let rows = packed[name] { return WeightMatrix.packed(rows).decoded() }
    preconditionFailure("parameter \(name) not loaded")
  }

  public func optional(_ name: String) -> Tensor? { contains(name) ? self[name] : nil }

  /// Edits one existing tensor in place (an optimizer step); its shape must not change.
  public mutating func update(_ name: String, _ body: (inout Tensor) -> Void) {
    guard tensors[name] != nil else { preconditionFailure("parameter \(name) not loaded") }
    let shape = tensors[name]!.shape
    body(&tensors[name]!)
    precondition(tensors[name]!.shape == shape, "update changed the shape of \(name)")
  }

  /// The safetensors bytes of every parameter, names sorted.
  public func serialized(metadata: [String: String] = [:]) throws(ModelError) -> [UInt8] {
    var writer = SafetensorsWriter(metadata: metadata)
    do {
      for name in Set(tensors.keys).union(packed.keys).sorted() {
        let tensor = self[name]
        try writer.add(name, shape: tensor.shape, floats: tensor.scalars)
      }
    } catch {
      throw ModelError(error.description)
    }
    return writer.serialize()
  }
}
