// The domain of every number a user or a model folder gives attnscope: command-line options
// (checked in the commands' `validate()`), config.json sizes (`ConfigLimits`) and
// generation_config.json keys, so a value outside it is refused on one line naming the flag, or
// the file and the key, instead of surfacing later as an overflow, NaN scores or an empty beam.
// NaN is outside every domain (a comparison with NaN is false), and so is ±∞ unless a bound is.

/// A closed or half-open interval and how to say it ("a number from -5 to 5").
public struct Domain<Value: Comparable & Sendable>: Sendable {
  public let lower: Value?
  public let upper: Value?
  /// Whether `lower` itself is allowed (false: "greater than lower").
  public let includesLower: Bool
  public let wording: String

  public init(lower: Value?, upper: Value?, includesLower: Bool = true, wording: String) {
    self.lower = lower
    self.upper = upper
    self.includesLower = includesLower
    self.wording = wording
  }

  public func contains(_ value: Value) -> Bool {
    if let lower {
      guard includesLower ? value >= lower : value > lower else { return false }
    }
    if let upper { guard value <= upper else { return false } }
    // A type whose values are not all comparable (Float's NaN) fails both tests above only when a
    // bound exists; an unbounded domain still refuses a value that is not equal to itself.
    return value == value
  }

  /// Throws "`name` must be `wording`, got `value`"; `name` is a flag ("--alpha") or
  /// "file: key" ("generation_config.json: max_length").
  public func check(_ value: Value, _ name: String) throws(DomainError) {
    guard contains(value) else { throw DomainError("\(name) must be \(wording), got \(value)") }
  }
}

/// A number outside its domain, one line.
public struct DomainError: Error, CustomStringConvertible, Equatable, Sendable {
  public let description: String
  public init(_ description: String) { self.description = description }
}

extension Domain where Value == Int {
  public static func integers(_ range: ClosedRange<Int>) -> Domain {
    Domain(
      lower: range.lowerBound, upper: range.upperBound,
      wording: "an integer from \(range.lowerBound) to \(range.upperBound)")
  }
  public static func integers(atLeast lower: Int) -> Domain {
    Domain(lower: lower, upper: nil, wording: "an integer of at least \(lower)")
  }
}

extension Domain where Value == Float {
  public static func numbers(_ range: ClosedRange<Float>) -> Domain {
    Domain(
      lower: range.lowerBound, upper: range.upperBound,
      wording: "a number from \(shown(range.lowerBound)) to \(shown(range.upperBound))")
  }
  /// 0 < value ≤ upper (finite by default).
  public static func positive(atMost upper: Float = .greatestFiniteMagnitude, wording: String) -> Domain {
    Domain(lower: 0, upper: upper, includesLower: false, wording: wording)
  }

  private static func shown(_ value: Float) -> String {
    value == value.rounded() ? String(Int(value)) : "\(value)"
  }
}
