// Hugging Face checkpoint tensors → attnscope's parameter names (docs/MODEL_FORMAT.md): each
// engine parameter has a recipe naming its source tensor and how to reshape it (Conv1D transpose,
// a row block of a fused projection, a flattened conv kernel). Every engine shape is checked, and
// a checkpoint tensor no recipe used and no rule ignores is an error, never silently dropped.
import Tensors
import Transformer

/// Where one engine parameter comes from.
struct Recipe: Sendable {
  enum Source: Sendable {
    /// The first of these names present in the checkpoint.
    case tensor([String])
    /// All zeros (a bias the checkpoint leaves out, e.g. ViT with qkv_bias false).
    case zeros
    /// The identity matrix (a square weight): ViTModel without a classifier reports its [CLS] state.
    case identity
  }
  var source: Source
  /// GPT-2's Conv1D stores [in, out]; the engine wants nn.Linear's [out, in].
  var transposed = false
  /// After any transpose: keep rows (or elements of a vector) in this range (fused q/k/v).
  var rows: Range<Int>? = nil
  /// Allow a reshape to the engine's shape with the same element count ([1, 1, d] → [1, d],
  /// [d, C, P, P] → [d, C·P·P], [1, V] → [V]): the row-major order is kept.
  var reshape = false
  /// A missing tensor reads as zeros (Marian's `final_logits_bias`, which transformers also allows
  /// to be absent).
  var zerosIfMissing = false

  static func named(_ names: String...) -> Recipe { Recipe(source: .tensor(names)) }
}

/// One architecture's name mapping.
protocol WeightMapping: Sendable {
  /// The recipe of an engine parameter, nil if the architecture has no rule for it (a bug).
  func recipe(for parameter: String) -> Recipe?
  /// Checkpoint tensors that are deliberately not used (buffers, pooler, training heads).
  func isIgnored(_ tensor: String) -> Bool
  /// "bert", "gpt2", ... for messages.
  static var modelType: String { get }
}

enum HFWeights {
  /// Builds every parameter `config` implies from `checkpoint`.
  static func parameters(
    config: ModelConfig, checkpoint: HFCheckpoint, mapping: some WeightMapping
  ) throws(ModelError) -> ParameterStore {
    var tensors: [String: Tensor] = [:]
    var used = Set<String>()
    var known = Set<String>()  // every name a recipe accepts, e.g. both sides of tied embeddings
    let file = checkpoint.displayName
    for spec in config.parameterSpecs {
      guard let recipe = mapping.recipe(for: spec.name) else {
        throw ModelError(
          "\(type(of: mapping).modelType): no checkpoint rule for engine parameter '\(spec.name)'")
      }
      switch recipe.source {
      case .zeros:
        tensors[spec.name] = Tensor(zeros: spec.shape)
      case .identity:
        tensors[spec.name] = Linear.identity(spec.shape[0]).weight
      case .tensor(let names):
        known.formUnion(names)
        if recipe.zerosIfMissing, !names.contains(where: checkpoint.contains) {
          tensors[spec.name] = Tensor(zeros: spec.shape)
          continue
        }
        guard let name = names.first(where: checkpoint.contains) else {
          throw ModelError("\(file): missing tensor '\(names[0])' (for \(spec.shape))")
        }
        used.insert(name)
        tensors[spec.name] = try convert(
          name, shape: try checkpoint.shape(name), scalars: try checkpoint.floats(name), recipe: recipe,
          to: spec.shape, file: file)
      }
    }
    if let extra = checkpoint.names.sorted().first(where: {
      !used.contains($0) && !known.contains($0) && !mapping.isIgnored($0)
    }) {
      throw ModelError(
        "\(file): unexpected tensor '\(extra)' (not part of a \(type(of: mapping).modelType) model attnscope supports)"
      )
    }
    return ParameterStore(tensors: tensors)
  }

  /// Applies a recipe and checks the result has the engine's shape.
  static func convert(
    _ name: String, shape: [Int], scalars: [Float], recipe: Recipe, to target: [Int], file: String
  ) throws(ModelError) -> Tensor {
    var shape = shape
    var scalars = scalars
    func mismatch() -> ModelError {
      ModelError("\(file): tensor '\(name)' has shape \(shape), config.json implies \(target)")
    }
    if recipe.transposed {
      guard shape.count == 2 else { throw mismatch() }
      scalars = transpose(scalars, rows: shape[0], columns: shape[1])  // [in, out] → [out, in]
      shape = [shape[1], shape[0]]
    }
    if let rows = recipe.rows {
      let width = shape.count == 2 ? shape[1] : 1
      guard shape.count <= 2, rows.upperBound <= shape[0] else { throw mismatch() }
      scalars = Array(scalars[(rows.lowerBound * width)..<(rows.upperBound * width)])
      shape = shape.count == 2 ? [rows.count, width] : [rows.count]
    }
    if shape != target {
      guard recipe.reshape, shape.reduce(1, *) == target.reduce(1, *) else { throw mismatch() }
      shape = target
    }
    return Tensor(shape: shape, scalars: scalars)
  }

  static func transpose(_ values: [Float], rows: Int, columns: Int) -> [Float] {
    var result = [Float](repeating: 0, count: values.count)
    for r in 0..<rows {
      for c in 0..<columns { result[c * rows + r] = values[r * columns + c] }
    }
    return result
  }
}

extension String {
  /// `"encoder.layers.3.ffn.fc1.weight"` → (3, "ffn.fc1.weight") after `prefix`.
  func layerPart(after prefix: String) -> (index: Int, rest: String)? {
    guard hasPrefix(prefix) else { return nil }
    let tail = dropFirst(prefix.count)
    guard let dot = tail.firstIndex(of: "."), let index = Int(tail[..<dot]) else { return nil }
    return (index, String(tail[tail.index(after: dot)...]))
  }
}
