// The generation-config processors on a hand-made step function: bad words of one and of several
// tokens (transformers' NoBadWordsLogitsProcessor), the forced end token at the last step.
import Testing

@testable import Decoding
@testable import HuggingFace

/// Uniform over 8 tokens, whatever came before.
struct UniformSteps: StepModel {
  var vocabularySize: Int { 8 }
  func start() throws -> Int { 0 }
  func step(_ state: inout Int, token: Int) throws -> StepOutput {
    state += 1
    return StepOutput(logProbs: Array(repeating: -Float(8).squareRoot(), count: 8))
  }
}

@Suite struct GenerationProcessorTests {
  func model(badWords: [[Int]], forcedEnd: Int? = nil, budget: Int = 10) -> GenerationStepModel<UniformSteps>
  {
    var settings = GenerationSettings()
    settings.badWordsIDs = badWords
    settings.forcedEOSTokenID = forcedEnd
    return GenerationStepModel(UniformSteps(), settings: settings, budget: budget)
  }

  @Test func singleTokenBadWordsAreBannedEverywhere() throws {
    let generation = model(badWords: [[3]])
    var state = try generation.start()
    for token in [1, 4, 5] {
      #expect(try generation.step(&state, token: token).logProbs[3] == -.infinity)
    }
  }

  @Test func longerBadWordsBanTheirLastTokenRightAfterTheRest() throws {
    let generation = model(badWords: [[5, 6], [1, 2, 7]])
    var state = try generation.start()
    var output = try generation.step(&state, token: 5)
    #expect(output.logProbs[6] == -.infinity, "5 was just fed: 6 would complete [5, 6]")
    #expect(output.logProbs[7].isFinite)
    output = try generation.step(&state, token: 4)
    #expect(output.logProbs[6].isFinite, "after 4 the sequence cannot complete")
    var batch = [try generation.start(), try generation.start()]
    _ = try generation.stepBatch(&batch, tokens: [1, 5])
    let outputs = try generation.stepBatch(&batch, tokens: [2, 2])
    #expect(outputs[0].logProbs[7] == -.infinity, "1 2 fed: 7 would complete [1, 2, 7]")
    #expect(outputs[1].logProbs[7].isFinite)
  }

  @Test func forcedEndTokenIsTheOnlyChoiceAtTheLastStep() throws {
    let generation = model(badWords: [], forcedEnd: 2, budget: 3)
    var state = try generation.start()
    _ = try generation.step(&state, token: 0)
    _ = try generation.step(&state, token: 1)
    let last = try generation.step(&state, token: 1)
    #expect(last.logProbs[2] == 0 && last.logProbs.filter { $0 == -.infinity }.count == 7)
  }
}
