// How a model is decoded when the user does not say otherwise: its beam semantics, default width
// and length penalty. The TUI's compare and beam-tree screens and `attnscope decode` both search
// through it, so they show the same hypotheses for the same model.

public struct DecodingPolicy: Sendable, Equatable {
  /// The beam width when none is asked for.
  public var beamWidth: Int
  /// Whether `decode` searches by beam unless told otherwise (a generation config's num_beams > 1).
  public var prefersBeam: Bool
  /// α when none is asked for: scores are log-prob / length^α.
  public var lengthPenalty: Float
  public var stopping: BeamSearch.Stopping

  public init(beamWidth: Int, prefersBeam: Bool, lengthPenalty: Float, stopping: BeamSearch.Stopping) {
    self.beamWidth = beamWidth
    self.prefersBeam = prefersBeam
    self.lengthPenalty = lengthPenalty
    self.stopping = stopping
  }

  /// attnscope's own models: width 4, no length penalty, the exact stopping bound.
  public static let attnscope = DecodingPolicy(
    beamWidth: 4, prefersBeam: false, lengthPenalty: 0, stopping: .never)

  /// Beam search with this policy's stopping rule; `width` and `alpha` default to the policy's.
  public func beamSearch<Model: StepModel>(
    _ model: Model, width: Int? = nil, alpha: Float? = nil, options: DecodingOptions
  ) throws -> DecodingResult {
    try BeamSearch.decode(
      model, width: width ?? beamWidth, alpha: alpha ?? lengthPenalty, stopping: stopping, options: options)
  }
}
