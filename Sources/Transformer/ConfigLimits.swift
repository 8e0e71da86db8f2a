// The ranges every size in a model config must fall in, checked before the size is used for
// anything — arithmetic, an allocation, a tensor shape. attnscope's own format (`validate()`) and
// every Hugging Face mapping (HFJSON.size) read sizes through these, so a new family (llama, gemma…)
// gets the same bounds by reading its keys the same way. The bounds are far above real models and
// far below what would overflow an `Int` product of two or three of them.
import Tensors

public enum ConfigLimits {
  /// d_model / hidden_size / n_embd.
  public static let width = 1...65_536
  public static let heads = 1...4_096
  /// ffn_dim / intermediate_size / n_inner.
  public static let feedForward = 1...1_048_576
  /// Layers of one stack (0: the stack is absent).
  public static let layers = 0...1_024
  public static let positions = 1...1_048_576
  public static let vocabulary = 1...10_000_000
  public static let tokenTypes = 0...1_024
  public static let imageSize = 1...4_096
  public static let patchSize = 1...4_096
  /// Image channels the engine reads (grey or RGB).
  public static let channels = 1...3
  public static let classes = 1...100_000
  /// Values of a table the engine computes rather than reads from the weights (sinusoidal
  /// positions, an identity head): 2^26 floats, 256 MB. A table from the weights is bounded by the
  /// file's size instead.
  public static let computedValues = 1 << 26

  /// `value` if it lies in `range`, else `<file>: "<key>" must be an integer from A to B, got <value>`
  /// (the same `Domain` the flags and generation_config.json are checked with).
  @discardableResult
  public static func check(
    _ value: Int, in range: ClosedRange<Int>, key: String, file: String = "config.json"
  ) throws(ModelError) -> Int {
    do { try Domain.integers(range).check(value, "\(file): \"\(key)\"") } catch {
      throw ModelError(error.description)
    }
    return value
  }

  /// The product of `factors` (all ≥ 0), or nil when it overflows `Int` or exceeds `limit`.
  public static func product(_ factors: [Int], limit: Int = .max) -> Int? {
    var result = 1
    for factor in factors {
      guard factor >= 0 else { return nil }
      let (next, overflow) = result.multipliedReportingOverflow(by: factor)
      guard !overflow, next <= limit else { return nil }
      result = next
    }
    return result
  }

  /// Refuses a computed table of `rows` × `columns` values beyond `computedValues`, naming it.
  public static func checkComputedTable(
    _ what: String, rows: Int, columns: Int, file: String = "config.json"
  ) throws(ModelError) {
    guard product([rows, columns], limit: computedValues) == nil else { return }
    let values = product([rows, columns]).map { "\($0)" } ?? "more than \(Int.max)"
    throw ModelError(
      "\(file): \(what) would be \(rows) × \(columns) = \(values) values, more than the "
        + "\(computedValues) (256 MB) attnscope computes for a table")
  }
}
