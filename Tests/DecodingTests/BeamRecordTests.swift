// Beam search's records: back-pointers lead each returned hypothesis through its own steps, and the
// live hypotheses advance through one `stepBatch` call per step.
import Foundation
import Testing

@testable import Decoding

/// TableModel plus a log of the batch sizes beam search asked for.
final class BatchLog: @unchecked Sendable {
  var sizes: [Int] = []
}

struct BatchingModel: StepModel {
  let table: TableModel
  let log: BatchLog
  var vocabularySize: Int { table.vocabularySize }
  func start() -> [Int] { [] }
  func step(_ state: inout [Int], token: Int) -> StepOutput { table.step(&state, token: token) }
  func stepBatch(_ states: inout [[Int]], tokens: [Int]) -> [StepOutput] {
    log.sizes.append(states.count)
    return states.indices.map { table.step(&states[$0], token: tokens[$0]) }
  }
}

@Suite struct BeamRecordTests {
  @Test(arguments: [0, 1, 2, 3] as [UInt64], [0, 0.8] as [Float])
  func pathsFollowEachHypothesisOwnRecords(seed: UInt64, alpha: Float) throws {
    let model = TableModel.random(vocabulary: 7, seed: seed)
    let result = try BeamSearch.decode(model, width: 4, alpha: alpha, options: options(6))
    #expect(result.origins.count == result.hypotheses.count)
    for (index, hypothesis) in result.hypotheses.enumerated() {
      let path = result.path(of: index)
      #expect(path.count == hypothesis.length, "one record per scored token")
      for (step, record) in path.enumerated() {
        #expect(record.prefix == Array(hypothesis.tokens.prefix(step)), "its own prefix at step \(step)")
        let token = step < hypothesis.tokens.count ? hypothesis.tokens[step] : end
        #expect(record.chosen.contains(token))
        let expected = model.distribution([start] + record.prefix)[token]
        #expect(abs(hypothesis.tokenLogProbs[step] - Float(log(Double(expected)))) < 1e-6)
      }
      #expect(path.first?.parent == nil)
    }
  }

  @Test func greedyPathIsEveryStep() throws {
    let model = TableModel.random(vocabulary: 6, seed: 5)
    let result = try GreedySearch.decode(model, options: options(5))
    #expect(result.path(of: 0).map(\.prefix) == result.steps.map { $0.hypotheses[0].prefix })
    #expect(result.path(of: 1).isEmpty)
  }

  @Test func liveHypothesesAdvanceAsOneBatch() throws {
    let log = BatchLog()
    let model = BatchingModel(table: TableModel.random(vocabulary: 9, seed: 2), log: log)
    let batched = try BeamSearch.decode(model, width: 4, options: options(6))
    let plain = try BeamSearch.decode(model.table, width: 4, options: options(6))
    #expect(batched.hypotheses == plain.hypotheses && batched.scores == plain.scores)
    #expect(log.sizes.count >= 1 && log.sizes.allSatisfy { (1...4).contains($0) })
    #expect(log.sizes.first == 4, "the first step's 4 survivors in one call")
  }
}
