// Screen 2's sampled decode: Decoding's `Sampling.decode` with the settings from the keyboard,
// each step keeping the distribution it drew from beside the model's own.
import AppCore
import Decoding
import Workbench

extension LoadedModel {
  /// `text` decoded greedily or, when `settings.sampling`, sampled with its temperature, top-k,
  /// top-p and seed (as `attnscope decode --strategy sample` does).
  public func decodeRun(text: String, settings: SamplingSettings) throws -> DecodeRun {
    guard settings.sampling else { return try decodeRun(text: text) }
    let (source, options) = try viewerDecoding(text: text)
    let chain = Sampling.processors(
      temperature: settings.temperature, topK: settings.topK, topP: settings.topP)
    var filtered: [FilteredDistribution] = []
    let result = try Sampling.decode(
      generationStepModel(source, maxLength: options.maxLength), processors: chain, seed: settings.seed,
      options: options
    ) { probabilities in
      let top = probabilities.indices.sorted { probabilities[$0] > probabilities[$1] }
        .prefix(options.recordedCandidates)
      filtered.append(
        FilteredDistribution(
          candidates: top.filter { probabilities[$0] > 0 }.map {
            TokenProbability(token: label($0), probability: probabilities[$0])
          }, kept: probabilities.filter { $0 > 0 }.count))
    }
    let steps = result.steps.enumerated().compactMap { index, step -> DecodeStepView? in
      guard let live = step.hypotheses.first, let chosen = live.chosen.first else { return nil }
      var view = stepView(live, chosen: chosen)
      view.filtered = filtered.indices.contains(index) ? filtered[index] : nil
      return view
    }
    return DecodeRun(
      source: source.encoderLabels ?? (source.prefill + [source.firstToken]).map(label),
      start: label(source.firstToken), steps: steps)
  }
}
