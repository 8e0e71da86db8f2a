// The host side of screens 0, 2 (sampling) and 5 (fingerprints): what the session computes is what
// the headless commands compute.
import AppCore
import Decoding
import Testing
import Trace
import ViewerHost
import Workbench

@Suite struct FingerprintSessionTests {
  @Test func theModelViewGetsInductionFromTheHost() throws {
    let (_, state) = try ViewerSessionTests.session("induction")
    let induction = state.headMetrics.prints.compactMap { print in print[.induction].map { (print, $0) } }
    #expect(induction.count == 8, "every head of a decoder-only model")
    let best = try #require(induction.max { $0.1 < $1.1 })
    #expect((best.0.layer, best.0.head) == (1, 2))
  }

  @Test func screenZeroRunsBothInputsAsTheContrastCommandDoes() throws {
    var (session, state) = try ViewerSessionTests.session("en-it")
    state.contrast.texts = ["the red cat sees the dog", "the dog sees the red cat"]
    state.contrast.word = "cat"
    ViewerSessionTests.drain(
      update(&state, .key(.character("0")), size: ViewerSessionTests.size), &session, &state)
    let run = try #require(state.contrast.run)
    guard case .text(let loaded) = session.model else { return }
    let headless = try loaded.contrast(
      first: state.contrast.texts[0], second: state.contrast.texts[1], word: "cat")
    #expect(run.cosines == headless.cosines)
    #expect((run.first.position, run.second.position) == (2, 5))
  }

  @Test func sampledDecodeIsTheSeededSampleAndShowsItsFilteredDistribution() throws {
    var (session, state) = try ViewerSessionTests.session("en-it")
    _ = update(&state, .key(.character("2")), size: ViewerSessionTests.size)
    for key in ["u", "u", "t", "t", "t"] {
      ViewerSessionTests.drain(
        update(&state, .key(.character(Character(key))), size: ViewerSessionTests.size), &session, &state)
    }
    let run = try #require(state.decode.run)
    #expect(
      state.sampling
        == {
          var s = SamplingSettings(); s.sampling = true; s.topK = 2; s.temperatureTenths = 13; return s
        }())
    guard case .text(let loaded) = session.model else { return }
    // The same tokens as Decoding's sampler with the same chain and seed (what `decode --strategy
    // sample` runs).
    let source = try loaded.decodingSource(text: session.input)
    let options = DecodingOptions(
      startToken: source.firstToken, endToken: loaded.endID, maxLength: run.steps.count + 5)
    let direct = try Sampling.decode(
      loaded.generationStepModel(source, maxLength: options.maxLength),
      processors: Sampling.processors(temperature: 1.3, topK: 2), seed: 0, options: options)
    let tokens =
      direct.hypotheses[0].tokens.map(loaded.label)
      + (direct.hypotheses[0].finished ? [loaded.label(loaded.endID)] : [])
    #expect(run.steps.map(\.chosen) == Array(tokens.prefix(run.steps.count)))
    for step in run.steps {
      let filtered = try #require(step.filtered)
      #expect(filtered.kept <= 2 && filtered.candidates.count == filtered.kept)
      #expect(abs(filtered.candidates.map(\.probability).reduce(0, +) - 1) < 1e-5)
      #expect(filtered.candidates.contains { $0.token == step.chosen })
    }
  }
}
