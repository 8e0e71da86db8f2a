// The loaded model's positional tables as AppCore's plain `PositionalTable`s (screen 7 and
// `attnscope pe --model`): the learned `<stack>.embed_positions.weight`, or the sinusoidal table the
// stacks add (one copy: both stacks use the same).
import AppCore
import Foundation
import Tensors
import Trace
import Transformer
import Workbench

extension LoadedModel {
  public var positionalTables: [PositionalTable] {
    let stacks = [model.encoder, model.decoder].compactMap { $0 }
    if let options = config.languageModel { return rotaryTables(options) }
    if config.positional != .learned, let stack = stacks.first, let table = stack.positionTable {
      return [
        PositionalTable(
          name: "\(name) sinusoidal \(table.rows)×\(table.columns)", values: Self.rows(of: table))
      ]
    }
    return stacks.compactMap { stack in
      stack.positionTable.map {
        PositionalTable(
          name: "\(stack.role.rawValue).embed_positions.weight (learned)", values: Self.rows(of: $0))
      }
    }
  }

  /// A rotary model's rotations as tables (one per distinct set of frequencies: Gemma 3's global
  /// and local layers differ): row p holds sin(p·fᵢ), cos(p·fᵢ) for every pair i, Vaswani's layout
  /// with the model's own frequencies. The dot product of rows p and q is Σᵢ cos((p − q)·fᵢ): how
  /// q·k of a fixed pair of vectors changes with their distance, which screen 7's similarity draws.
  func rotaryTables(_ options: LanguageModelOptions) -> [PositionalTable] {
    let positions = min(config.maxPositions, 512)
    let dimensions = options.rotaryDimensions ?? config.headDim
    var kinds: [(String, RotaryFrequencies)] = [("", options.rotary)]
    if let local = options.localRotary, local != options.rotary {
      kinds = [(" global layers", options.rotary), (" local layers", local)]
    }
    return kinds.map { suffix, frequencies in
      let inverse = frequencies.inverseFrequencies(dimensions: dimensions)
      let rows = (0..<positions).map { position in
        RotaryFrequencies.angles(inverse, position: position).flatMap { [Float(sin($0)), Float(cos($0))] }
      }
      return PositionalTable(
        name:
          "\(name) rotary θ=\(frequencies.theta.formatted)\(Self.scalingName(frequencies.scaling))\(suffix)"
          + " \(positions)×\(dimensions)",
        values: rows, rotaryFrequencies: inverse)
    }
  }

  /// " llama3 ×8", " linear ×4": the scaling is part of what the frequencies are.
  static func scalingName(_ scaling: RotaryScaling?) -> String {
    switch scaling {
    case nil: ""
    case .linear(let factor): " linear ×\(factor.formatted)"
    case .llama3(let factor, _, _, _): " llama3 ×\(factor.formatted)"
    case .frequencyFactors(let factors): " rope_freqs ×\(Double(factors.max() ?? 1).formatted)"
    }
  }

  /// A [positions, d] table, one array per position.
  static func rows(of table: Tensor) -> [[Float]] {
    return (0..<table.rows).map { Array(table.scalars[($0 * table.columns)..<(($0 + 1) * table.columns)]) }
  }
}

extension LoadedVisionModel {
  /// The ViT's position table, [CLS] then the patches on their grid (the learned one, or the fixed
  /// 2-D sine-cosine), for screen 7's per-patch similarity maps (Dosovitskiy et al. fig. 7).
  public var positionalTables: [PositionalTable] {
    let table = model.positionTable
    let kind = config.positional == .learned ? "learned" : "2-D sine-cosine"
    return [
      PositionalTable(
        name: "encoder.embed_positions.weight (\(kind))",
        values: (0..<table.rows).map {
          Array(table.scalars[($0 * table.columns)..<(($0 + 1) * table.columns)])
        },
        rowLabels: vision.tokenLabels, grid: PatchGrid(rows: vision.gridSize, columns: vision.gridSize))
    ]
  }
}

extension Double {
  /// 10000, 500000, 1e+06: short, exact for the bases configs use.
  fileprivate var formatted: String { self == rounded() && abs(self) < 1e7 ? String(Int(self)) : "\(self)" }
}
