// Held-out metrics of a shapes ViT: accuracy, and whether [CLS] looks at the shape. The attention
// bar compares the [CLS] attention's expected shape coverage, Σ_p a_p·c_p over patches p (a
// renormalised over patches, c_p the share of patch p's pixels the shape covers), with the shape's
// area fraction mean_p c_p, which is what uniform attention would get. A ratio of 2 means [CLS]
// looks at the shape twice as much as chance. Sources: every last-layer head, and attention
// rollout (Abnar & Zuidema 2020) through all layers; the best is reported.
import Foundation
import Tasks
import Trace
import Transformer

public enum ShapesMetrics {
  public static func evaluate(
    _ model: VisionTransformer, task: ShapesTask, seed: UInt64, count: Int
  ) throws(ModelError) -> TaskMetrics {
    let heads = model.config.numHeads
    var correct = 0
    var coveredMass = [Double](repeating: 0, count: heads + 1)  // heads…, rollout
    var areaFraction = 0.0
    for index in 0..<count {
      let example = task.example(split: .heldOut, index: index, seed: seed)
      let recorder = AttentionRecorder()
      let output = try model.forward(
        image: ShapesTrainer.modelInput(example, model.vision), recorder: recorder)
      if TransformerModel.argmax(output.logits[...]) == example.label { correct += 1 }
      let coverage = example.patchCoverage(patchSize: model.vision.patchSize)
      areaFraction += Double(coverage.reduce(0, +)) / Double(coverage.count)
      let entries = recorder.entries.sorted { $0.layer < $1.layer }
      guard let last = entries.last else { continue }
      let tokens = last.keys.count
      for head in 0..<heads {
        let row = (0..<tokens).map { last.weight(head: head, query: 0, key: $0) }
        coveredMass[head] += expectedCoverage(classRow: row, coverage)
      }
      coveredMass[heads] += expectedCoverage(
        classRow: Array(AttentionRollout.rollout(entries).prefix(tokens)), coverage)
    }
    let best = coveredMass.indices.max { coveredMass[$0] < coveredMass[$1] } ?? 0
    let layer = model.config.encoderLayers
    return TaskMetrics(
      task: "shapes", examples: count, accuracy: Double(correct) / Double(max(1, count)),
      attentionScore: coveredMass[best] / max(1e-12, areaFraction),
      attentionSource: best == heads
        ? "rollout over \(layer) layers" : "encoder self layer \(layer) head \(best + 1)")
  }

  /// Σ_p a_p·c_p with a = [CLS]'s attention over the patches (key 0, [CLS] itself, left out and the
  /// rest renormalised).
  static func expectedCoverage(classRow: [Float], _ coverage: [Float]) -> Double {
    let patches = classRow.dropFirst()
    let total = patches.reduce(0.0) { $0 + Double($1) }
    guard total > 0 else { return 0 }
    return zip(patches, coverage).reduce(0.0) { $0 + Double($1.0) * Double($1.1) } / total
  }
}
