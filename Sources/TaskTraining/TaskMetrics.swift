import Decoding
// Held-out metrics of a trained model, the bars of the training issue: exact match, and whether the
// attention does what the task says it should (alignment, anti-diagonal, induction heads).
import Foundation
import Tasks
import Tokenization
import Trace
import Transformer
import Workbench

public struct TaskMetrics: Sendable, Codable, Equatable {
  public var task: String
  public var examples: Int
  /// translate / reverse: greedy output equals the target; induction: next-token accuracy on the
  /// predictable part of the repeated half.
  public var accuracy: Double
  /// translate: share of aligned target words whose last-layer, head-averaged cross-attention argmax
  /// is the aligned source word. reverse: the best cross-attention head's share of target positions
  /// i whose argmax is source n−1−i. induction: the best head's mean attention from t to t−period+1.
  public var attentionScore: Double
  /// Where `attentionScore` comes from, e.g. "decoder cross layer 2 head 3".
  public var attentionSource: String

  public var summary: String {
    if task == "shapes" {
      return String(
        format:
          "shapes on %d held-out images: accuracy %.1f%%, [CLS] attention on the shape %.2f× its area (%@)",
        examples, accuracy * 100, attentionScore, attentionSource)
    }
    let accuracyName = task == "induction" ? "next-token accuracy (repeated half)" : "exact match"
    let attentionName: String
    switch task {
    case "translate": attentionName = "cross-attention on the aligned word"
    case "reverse": attentionName = "anti-diagonal cross-attention"
    default: attentionName = "induction-head attention to t−period+1"
    }
    return String(
      format: "%@ on %d held-out examples: %@ %.1f%%, %@ %.1f%% (%@)", task, examples, accuracyName,
      accuracy * 100, attentionName, attentionScore * 100, attentionSource)
  }
}

extension TaskData {
  /// Evaluates `model` on the first `count` held-out examples.
  public func evaluate(_ model: TransformerModel, count: Int) throws(ModelError) -> TaskMetrics {
    let examples = (0..<count).map { example(.heldOut, $0) }
    switch task {
    case .translate, .reverse: return try evaluateSequenceTask(model, examples)
    case .induction: return try evaluateInduction(model, examples)
    }
  }

  func evaluateSequenceTask(_ model: TransformerModel, _ examples: [TaskExample]) throws(ModelError)
    -> TaskMetrics
  {
    var exact = 0
    var scorer = CrossAttentionScorer(
      task: task, heads: model.config.numHeads, layers: model.config.decoderLayers)
    for example in examples {
      let encoder = encoderIDs(example)
      let output = try greedy(model, encoder: encoder, maxLength: example.target.count + 8)
      if output == targetIDs(example) { exact += 1 }
      let recorder = AttentionRecorder()
      _ = try model.forward(
        encoderIDs: encoder, decoderIDs: [Vocabulary.startID] + targetIDs(example), recorder: recorder)
      scorer.add(recorder.entries.filter { $0.kind == .cross }, example: example)
    }
    let (score, source) = scorer.result
    return TaskMetrics(
      task: task.rawValue, examples: examples.count, accuracy: Double(exact) / Double(examples.count),
      attentionScore: score, attentionSource: source)
  }

  /// The model's greedy output for `encoder` (without the end token), through Decoding's greedy
  /// search over the KV-cached step model, as the viewer and `decode` run it.
  func greedy(_ model: TransformerModel, encoder: [Int]?, maxLength: Int) throws(ModelError) -> [Int] {
    let source = DecodingSource(encoderIDs: encoder, prefill: [], firstToken: Vocabulary.startID)
    let options = DecodingOptions(
      startToken: Vocabulary.startID, endToken: Vocabulary.endID,
      maxLength: min(maxLength + 1, model.config.maxPositions), recordedCandidates: 0)
    do {
      return try GreedySearch.decode(CachedStepModel(model, source: source), options: options).hypotheses[0]
        .tokens
    } catch let error as ModelError {
      throw error
    } catch {
      throw ModelError("\(error)")
    }
  }

  func evaluateInduction(_ model: TransformerModel, _ examples: [TaskExample]) throws(ModelError)
    -> TaskMetrics
  {
    let task = InductionTask()
    var (correct, predicted) = (0, 0)
    let (layers, heads) = (model.config.decoderLayers, model.config.numHeads)
    var attention = [Double](repeating: 0, count: layers * heads)
    var queries = 0
    for example in examples {
      let ids = targetIDs(example)
      let recorder = AttentionRecorder()
      let logits = try model.forward(decoderIDs: [Vocabulary.startID] + ids, recorder: recorder).logits
      // Decoder input position t reads target[t − 1] and predicts target[t].
      for t in task.predictableRange(of: example) {
        predicted += 1
        if TransformerModel.argmax(logits.row(t)) == ids[t] { correct += 1 }
      }
      guard let period = task.period(of: example) else { continue }
      for t in task.predictableRange(of: example) {
        // At input t the current token target[t−1] occurred before at input t−period; the induction
        // head looks at the token that followed it, input t − period + 1.
        queries += 1
        for entry in recorder.entries {
          for head in 0..<heads {
            attention[entry.layer * heads + head] += Double(
              entry.weight(head: head, query: t, key: t - period + 1))
          }
        }
      }
    }
    let best = attention.indices.max { attention[$0] < attention[$1] } ?? 0
    return TaskMetrics(
      task: "induction", examples: examples.count, accuracy: Double(correct) / Double(max(1, predicted)),
      attentionScore: attention[best] / Double(max(1, queries)),
      attentionSource: "decoder masked layer \(best / heads + 1) head \(best % heads + 1)")
  }
}

/// Accumulates the cross-attention bars over examples.
struct CrossAttentionScorer {
  let task: BuiltinTask
  let heads: Int
  let layers: Int
  /// translate: head-averaged last layer; reverse: every (layer, head).
  var hits: [Int]
  var total = 0

  init(task: BuiltinTask, heads: Int, layers: Int) {
    self.task = task
    self.heads = heads
    self.layers = layers
    hits = Array(repeating: 0, count: task == .translate ? 1 : layers * heads)
  }

  mutating func add(_ cross: [AttentionEntry], example: TaskExample) {
    // Query position j of the decoder input produces target word j.
    let aligned = example.alignment.enumerated().compactMap { j, a in a.map { (j, $0) } }
    total += aligned.count
    if task == .translate, let last = cross.max(by: { $0.layer < $1.layer }) {
      let mean = last.meanOverHeads()
      for (j, a) in aligned where TransformerModel.argmax(mean[j][...]) == a { hits[0] += 1 }
      return
    }
    for entry in cross {
      for head in 0..<heads {
        let matrix = entry.weightMatrix(head: head)
        for (j, a) in aligned where TransformerModel.argmax(matrix[j][...]) == a {
          hits[entry.layer * heads + head] += 1
        }
      }
    }
  }

  var result: (Double, String) {
    let best = hits.indices.max { hits[$0] < hits[$1] } ?? 0
    let score = Double(hits[best]) / Double(max(1, total))
    if task == .translate { return (score, "decoder cross layer \(layers), mean over heads") }
    return (score, "decoder cross layer \(best / heads + 1) head \(best % heads + 1)")
  }
}
