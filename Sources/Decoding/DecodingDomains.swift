// The decoding numbers and their domains (Tensors' `Domain`), shared by the flags and
// generation_config.json.
import Tensors

/// The decoding numbers, each with its domain, shared by the flags and generation_config.json.
public enum DecodingDomains {
  /// The length penalty α in log-prob / length^α: beyond ±5, length^α overflows or underflows a
  /// Float for long outputs (α = −20 at length 100 is 10^−40), and every score becomes ±∞ or NaN.
  public static let lengthPenalty = Domain<Float>.numbers(-5...5)
  /// Any positive finite temperature (a tiny one is the argmax: `Temperature` scales from the max).
  public static let temperature = Domain<Float>.positive(wording: "a positive number")
  /// 0 keeps every token.
  public static let topK = Domain<Int>(lower: 0, upper: nil, wording: "0 (every token) or a positive count")
  public static let topP = Domain<Float>.positive(atMost: 1, wording: "a number greater than 0 and at most 1")
  public static let beamWidth = Domain<Int>.integers(1...16)
  /// Tokens to generate; the model's positions cut it further, with a notice.
  public static let maxLength = Domain<Int>.integers(1...1_000_000)
}
