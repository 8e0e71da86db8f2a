// A dense, row-major Float32 array with a shape: the one value type the engine computes on.

/// Row-major Float32 storage plus its shape. Shapes are small arrays; element counts are checked.
public struct Tensor: Sendable, Equatable {
  public private(set) var shape: [Int]
  public var scalars: [Float]

  public init(shape: [Int], scalars: [Float]) {
    precondition(shape.allSatisfy { $0 >= 0 }, "negative dimension in \(shape)")
    precondition(shape.reduce(1, *) == scalars.count, "shape \(shape) ≠ \(scalars.count) scalars")
    self.shape = shape
    self.scalars = scalars
  }

  public init(zeros shape: [Int]) {
    let count = shape.reduce(1, *)
    // Every product's result is allocated here: a large one beyond `ulimit -v` ends on one line.
    MemoryHeadroom.require(
      count * MemoryLayout<Float>.size, for: "a \(shape.map(String.init).joined(separator: " × ")) tensor")
    self.init(shape: shape, scalars: Array(repeating: 0, count: count))
  }

  public var count: Int { scalars.count }
  public var rank: Int { shape.count }

  /// Rows of a matrix; for higher ranks, the product of all leading dimensions.
  public var rows: Int { shape.count <= 1 ? 1 : shape.dropLast().reduce(1, *) }
  /// The last dimension.
  public var columns: Int { shape.last ?? 1 }

  /// The same scalars seen with another shape of equal element count.
  public func reshaped(_ newShape: [Int]) -> Tensor { Tensor(shape: newShape, scalars: scalars) }

  /// Row `index` of a matrix (or of the flattened leading dimensions).
  public func row(_ index: Int) -> ArraySlice<Float> {
    scalars[(index * columns)..<((index + 1) * columns)]
  }

  /// Rows `range` of a matrix as a new tensor.
  public func rows(_ range: Range<Int>) -> Tensor {
    Tensor(
      shape: [range.count, columns],
      scalars: Array(scalars[(range.lowerBound * columns)..<(range.upperBound * columns)]))
  }

  public subscript(row: Int, column: Int) -> Float {
    get { scalars[row * columns + column] }
    set { scalars[row * columns + column] = newValue }
  }

  /// Largest absolute elementwise difference; shapes must match.
  public func maxAbsDifference(_ other: Tensor) -> Float {
    precondition(shape == other.shape, "shape \(shape) vs \(other.shape)")
    return zip(scalars, other.scalars).reduce(0) { max($0, abs($1.0 - $1.1)) }
  }
}
