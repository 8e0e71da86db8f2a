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
  /// With `rows`: how many rows the fused tensor has (GPT-2's c_attn: 3·d), so its whole shape is
  /// known before anything is read.
  var fusedRows: Int? = nil
  /// Allow a reshape to the engine's shape with the same element count ([1, 1, d] → [1, d],
  /// [d, C, P, P] → [d, C·P·P], [1, V] → [V]): the row-major order is kept.
  var reshape = false
  /// A missing tensor reads as zeros (Marian's `final_logits_bias`, which transformers also allows
  /// to be absent).
  var zerosIfMissing = false

  static func named(_ names: String...) -> Recipe { Recipe(source: .tensor(names)) }

  /// The one shape the checkpoint tensor must have for the engine's `target`, or nil for a reshape
  /// recipe (which takes any shape of the same element count). Every family's tensors are checked
  /// against this once, before they are read or indexed.
  func expectedSourceShape(for target: [Int]) -> [Int]? {
    if reshape { return nil }
    var shape = target
    if rows != nil, let fusedRows, !shape.isEmpty { shape[0] = fusedRows }  // the fused rows
    if transposed, shape.count == 2 { shape = [shape[1], shape[0]] }  // [out, in] → Conv1D's [in, out]
    return shape
  }
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
    config: ModelConfig, checkpoint: any CheckpointTensors, mapping: some WeightMapping
  ) throws(ModelError) -> ParameterStore {
    var tensors: [String: Tensor] = [:]
    var packed: [String: any PackedRows] = [:]
    // A source read once even when two parameters use it (tied embeddings share one buffer).
    var denseCache: [String: Tensor] = [:]
    var packedCache: [String: (any PackedRows)?] = [:]
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
        let shape = try checkpoint.shape(name)
        try check(name, shape: shape, recipe: recipe, target: spec.shape, file: file)
        // 16-bit and quantised matrices stay as stored: rows (or a row block of a fused tensor) are views.
        if spec.shape.count == 2, !recipe.transposed, !recipe.reshape {
          if packedCache[name] == nil { packedCache[name] = .some(try checkpoint.packedRows(name)) }
          if let rows = packedCache[name]! {
            packed[spec.name] = recipe.rows.map { RowBlock(rows, rows: $0) } ?? rows
            continue
          }
        }
        if denseCache[name] == nil {
          denseCache[name] = Tensor(shape: shape, scalars: try checkpoint.floats(name))
        }
        tensors[spec.name] = convert(
          shape: shape, scalars: denseCache[name]!.scalars, recipe: recipe, to: spec.shape)
      }
    }
    if let extra = checkpoint.names.sorted().first(where: {
      !used.contains($0) && !known.contains($0) && !mapping.isIgnored($0)
    }) {
      throw ModelError(
        "\(file): unexpected tensor '\(extra)' (not part of a \(type(of: mapping).modelType) model attnscope supports)"
      )
    }
    return ParameterStore(tensors: tensors, packed: packed)
  }

  /// Refuses a checkpoint tensor whose shape is not what the recipe needs for `target` (rank
  /// included: a scalar where a matrix belongs), before it is read.
  static func check(_ name: String, shape: [Int], recipe: Recipe, target: [Int], file: String)
    throws(ModelError)
  {
    let fits: Bool
    if let expected = recipe.expectedSourceShape(for: target) {
      fits = shape == expected
    } else {
      fits = ConfigLimits.product(shape) == ConfigLimits.product(target)
    }
    guard fits else {
      let wanted = recipe.expectedSourceShape(for: target).map { "\($0)" } ?? "\(target) (or a reshape of it)"
      throw ModelError("\(file): tensor '\(name)' has shape \(shape), config.json implies \(wanted)")
    }
  }

  /// Applies a recipe to a tensor `check` accepted, giving the engine's shape.
  static func convert(shape: [Int], scalars: [Float], recipe: Recipe, to target: [Int]) -> Tensor {
    var shape = shape
    var scalars = scalars
    if recipe.transposed && shape.count == 2 {
      scalars = transpose(scalars, rows: shape[0], columns: shape[1])  // [in, out] → [out, in]
      shape = [shape[1], shape[0]]
    }
    if let rows = recipe.rows {
      let width = shape.count == 2 ? shape[1] : 1
      scalars = Array(scalars[(rows.lowerBound * width)..<(rows.upperBound * width)])
    }
    return Tensor(shape: target, scalars: scalars)
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
