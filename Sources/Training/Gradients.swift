// What training consumes and produces: examples with their targets, and named parameter gradients
// (kept in one flat buffer while backpropagating, handed out under the ParameterStore names).
import Tensors
import Transformer

/// One sequence (pair) with its next-token targets. Encoder-decoder: both id lists, `targets` one per
/// decoder position. Decoder-only: `decoderIDs`; encoder-only: `encoderIDs`, `targets` one per
/// token. A target of -1 is ignored (PyTorch's `ignore_index`).
public struct TrainingExample: Sendable, Equatable {
  public var encoderIDs: [Int]?
  public var decoderIDs: [Int]?
  public var targets: [Int]

  public init(encoderIDs: [Int]? = nil, decoderIDs: [Int]? = nil, targets: [Int]) {
    self.encoderIDs = encoderIDs
    self.decoderIDs = decoderIDs
    self.targets = targets
  }

  /// Teacher forcing (docs/MODEL_FORMAT.md): the decoder reads `<s>` + target and must predict
  /// target + `</s>`, position by position. Ids 1 and 2 are `<s>` and `</s>` in every vocabulary.
  public static func teacherForced(source: [Int]?, target: [Int], bos: Int = 1, eos: Int = 2)
    -> TrainingExample
  {
    TrainingExample(encoderIDs: source, decoderIDs: [bos] + target, targets: target + [eos])
  }

  /// Targets that count towards the loss.
  public var countedTargets: Int { targets.reduce(0) { $0 + ($1 >= 0 ? 1 : 0) } }
}

/// ∂loss/∂parameter for every parameter, under the same names and shapes as `ParameterStore`.
public struct Gradients: Sendable {
  public var tensors: [String: Tensor]

  public init(tensors: [String: Tensor]) { self.tensors = tensors }

  /// All zeros, one tensor per parameter of `config`.
  public init(zerosFor config: ModelConfig) {
    var tensors: [String: Tensor] = [:]
    for spec in config.parameterSpecs { tensors[spec.name] = Tensor(zeros: spec.shape) }
    self.tensors = tensors
  }

  public subscript(name: String) -> Tensor {
    guard let tensor = tensors[name] else { preconditionFailure("no gradient for \(name)") }
    return tensor
  }

  /// The L2 norm over every element of every tensor (accumulated in Double).
  public var norm: Float {
    var sum = 0.0
    for tensor in tensors.values {
      for g in tensor.scalars { sum += Double(g) * Double(g) }
    }
    return Float(sum.squareRoot())
  }
}

/// Every parameter gradient in one allocation, so the passes write through stable pointers, zeroing
/// and summing the threads' partial gradients is one loop each. Owned by one thread at a time.
final class GradientBuffer: @unchecked Sendable {
  let specs: [ParameterSpec]
  let offsets: [String: Int]
  let count: Int
  let storage: UnsafeMutablePointer<Float>

  init(specs: [ParameterSpec]) {
    var offsets: [String: Int] = [:]
    var total = 0
    for spec in specs {
      offsets[spec.name] = total
      total += spec.shape.reduce(1, *)
    }
    self.specs = specs
    self.offsets = offsets
    count = total
    storage = .allocate(capacity: max(total, 1))
    storage.initialize(repeating: 0, count: max(total, 1))
  }

  deinit { storage.deallocate() }

  /// Where the gradient of parameter `name` starts (row-major, the parameter's shape).
  func pointer(_ name: String) -> UnsafeMutablePointer<Float> {
    guard let offset = offsets[name] else { preconditionFailure("no gradient slot for \(name)") }
    return storage + offset
  }

  /// self += other (same layout).
  func add(_ other: GradientBuffer) {
    precondition(other.count == count, "gradient layouts differ")
    for i in 0..<count { storage[i] += other.storage[i] }
  }

  var gradients: Gradients {
    var tensors: [String: Tensor] = [:]
    for spec in specs {
      let start = offsets[spec.name]!
      let size = spec.shape.reduce(1, *)
      tensors[spec.name] = Tensor(
        shape: spec.shape, scalars: Array(UnsafeBufferPointer(start: storage + start, count: size)))
    }
    return Gradients(tensors: tensors)
  }
}
