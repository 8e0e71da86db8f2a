// Properties of the reversal and induction generators.
import Testing

@testable import Tasks

@Suite struct SequenceTaskTests {
  @Test func reversalReversesWithAntiDiagonalAlignment() {
    let task = ReversalTask()
    #expect(task.sourceWords.count == 26 && task.sourceWords.first == "a" && task.sourceWords.last == "z")
    var lengths = Set<Int>()
    for index in 0..<2_000 {
      let example = task.example(split: .train, index: index, seed: 3)
      let n = example.source.count
      lengths.insert(n)
      #expect(example.target == Array(example.source.reversed()))
      #expect(example.alignment == (0..<n).map { n - 1 - $0 })
      #expect(zip(example.target, example.alignment).allSatisfy { $0 == example.source[$1!] })
    }
    #expect(lengths == Set(3...16))
  }

  @Test func reversalHonoursItsParameters() {
    let task = ReversalTask(alphabet: ["x", "y", "z", "w"], lengths: 10...12)
    #expect(task.sourceWords == ["w", "x", "y", "z"])
    for index in 0..<200 {
      let example = task.example(split: .heldOut, index: index, seed: 1)
      #expect((10...12).contains(example.source.count))
    }
  }

  @Test func inductionRepeatsThePattern() throws {
    let task = InductionTask()
    #expect(task.sourceWords.isEmpty && task.targetWords.count == 24)
    var periods = Set<Int>()
    var prefixes = Set<Int>()
    for index in 0..<2_000 {
      let example = task.example(split: .train, index: index, seed: 8)
      #expect(example.source.isEmpty)
      let period = try #require(task.period(of: example))
      let repeated = task.repeatedRange(of: example)
      let prefix = example.target.count - 2 * period
      periods.insert(period)
      prefixes.insert(prefix)
      #expect(repeated == (prefix + period)..<(prefix + 2 * period))
      #expect(task.predictableRange(of: example) == (prefix + period + 1)..<(prefix + 2 * period))
      let pattern = example.target[(prefix)..<(prefix + period)]
      #expect(Array(pattern) == Array(example.target[repeated]))
      #expect(Set(pattern).count == period)  // distinct tokens by default
      #expect(Set(example.target[..<prefix]).isDisjoint(with: Set(pattern)))
      for position in example.target.indices {
        if repeated.contains(position) {
          #expect(example.alignment[position] == position - period)
          #expect(example.target[position] == example.target[position - period])
        } else {
          #expect(example.alignment[position] == nil)
        }
      }
    }
    #expect(periods == Set(2...16))
    #expect(prefixes == Set(0...4))
  }

  @Test func inductionWithRepeatsAndFixedPeriod() {
    let task = InductionTask(vocabularySize: 5, periods: 10...10, prefixLengths: 0...0, distinctTokens: false)
    for index in 0..<200 {
      let example = task.example(split: .heldOut, index: index, seed: 2)
      #expect(example.target.count == 20)
      #expect(Array(example.target[..<10]) == Array(example.target[10...]))
      #expect(task.repeatedRange(of: example) == 10..<20)
    }
    let empty = TaskExample(source: [], target: ["t1"], alignment: [nil])
    #expect(task.repeatedRange(of: empty).isEmpty && task.period(of: empty) == nil)
  }
}
