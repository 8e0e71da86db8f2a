// The loaded model's positional tables as AppCore's plain `PositionalTable`s (screen 7 and
// `attnscope pe --model`): the learned `<stack>.embed_positions.weight`, or the sinusoidal table the
// stacks add (one copy: both stacks use the same).
import AppCore
import Transformer
import Workbench

extension LoadedModel {
  public var positionalTables: [PositionalTable] {
    let stacks = [model.encoder, model.decoder].compactMap { $0 }
    if config.positional != .learned, let stack = stacks.first {
      return [
        PositionalTable(
          name: "\(name) sinusoidal \(stack.positionTable.rows)×\(stack.positionTable.columns)",
          values: Self.rows(of: stack))
      ]
    }
    return stacks.map {
      PositionalTable(name: "\($0.role.rawValue).embed_positions.weight (learned)", values: Self.rows(of: $0))
    }
  }

  /// The stack's [max_positions, d] table, one array per position.
  static func rows(of stack: TransformerStack) -> [[Float]] {
    let table = stack.positionTable
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
