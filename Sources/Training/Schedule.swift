// Learning-rate schedule: linear warm-up (Goyal et al. 2017; Vaswani et al. §5.3 warm up too), then
// cosine decay to a floor (Loshchilov & Hutter 2017, SGDR without restarts).
import Foundation

public struct LearningRateSchedule: Sendable, Equatable {
  public var warmupSteps: Int
  public var totalSteps: Int
  public var peak: Float
  public var final: Float

  public init(warmupSteps: Int, totalSteps: Int, peak: Float, final: Float = 0) {
    self.warmupSteps = warmupSteps
    self.totalSteps = totalSteps
    self.peak = peak
    self.final = final
  }

  /// The rate for 0-based `step`: peak·(step + 1)/warmupSteps while warming up (never 0), then
  /// final + (peak − final)·(1 + cos(π·p))/2 with p going from 0 at the end of warm-up to 1 at
  /// `totalSteps`; `final` from there on.
  public func rate(at step: Int) -> Float {
    if step < warmupSteps { return peak * Float(step + 1) / Float(warmupSteps) }
    let span = max(1, totalSteps - warmupSteps)
    let progress = min(1, Double(step - warmupSteps) / Double(span))
    return final + (peak - final) * Float(0.5 * (1 + cos(Double.pi * progress)))
  }
}
