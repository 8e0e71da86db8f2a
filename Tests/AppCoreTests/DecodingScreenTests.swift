// The decode and compare screens with hand-built runs: screen keys, stepping, effects, snapshots.
import Testing

@testable import AppCore
@testable import Render
@testable import Trace

/// A three-step greedy run of "i love you </s>" → "ti amo </s>", one layer with two heads.
func sampleDecodeRun() -> DecodeRun {
  let source = ["i", "love", "you", "</s>"]
  let chosen = ["ti", "amo", "</s>"]
  let fed = ["<s>", "ti", "amo"]
  let steps = (0..<3).map { step in
    DecodeStepView(
      candidates: [
        TokenProbability(token: chosen[step], probability: 0.75),
        TokenProbability(token: "molto", probability: 0.25),
      ], chosen: chosen[step],
      selfAttention: AttentionRow(
        query: fed[step], keys: Array(fed.prefix(step + 1)),
        weights: [[(0...step).map { $0 == step ? 1 : 0 }, (0...step).map { $0 == 0 ? 1 : 0 }]]),
      crossAttention: AttentionRow(
        query: fed[step], keys: source,
        weights: [[(0..<4).map { $0 == step ? 1 : 0 }, [0.25, 0.25, 0.25, 0.25]]]))
  }
  return DecodeRun(source: source, start: "<s>", steps: steps)
}

/// Greedy's steps are `sampleDecodeRun`'s; the beam's best hypothesis "ti voglio </s>" looks at
/// the last source token from step 2 on, so the two attention rows differ where the outputs do.
func sampleCompareRun(width: Int = 4, alpha: Float = 0) -> CompareRun {
  let greedySteps = sampleDecodeRun().steps
  var beamSteps = greedySteps
  beamSteps[1].chosen = "voglio"
  beamSteps[2].crossAttention?.query = "voglio"
  for step in 1...2 { beamSteps[step].crossAttention?.weights = [[[0, 0, 0, 1], [0.5, 0, 0, 0.5]]] }
  return CompareRun(
    greedy: HypothesisView(tokens: ["ti", "amo", "</s>"], logProbs: [-0.5, -0.25, -0.25], score: -1),
    beam: [
      HypothesisView(tokens: ["ti", "voglio", "</s>"], logProbs: [-0.5, -0.125, -0.125], score: -0.75),
      HypothesisView(tokens: ["ti", "amo", "</s>"], logProbs: [-0.5, -0.25, -0.25], score: -1),
    ], width: width, alpha: alpha, greedySteps: greedySteps, beamSteps: beamSteps)
}

func trimmed(_ canvas: Canvas) -> [String] {
  canvas.lines.map { String($0.reversed().drop { $0 == " " }.reversed()) }
}

@Suite struct DecodeScreenViewTests {
  let size = (width: 100, height: 30)
  func state() -> AppState { AppState(trace: sampleTrace(), modelDescription: "test", depth: .monochrome) }

  @Test func numberKeysSwitchScreensAndAskForRunsOnce() {
    var s = state()
    #expect(update(&s, .key(.character("2")), size: size) == [.runDecode])
    #expect(s.screen == .decode)
    s.decode.run = sampleDecodeRun()
    #expect(update(&s, .key(.character("1")), size: size) == [])
    #expect(update(&s, .key(.character("2")), size: size) == [], "a run already there is kept")
    #expect(update(&s, .key(.character("3")), size: size) == [.runCompare(width: 4, alpha: 0)])
    #expect(s.invalidateDecoding() == [.runCompare(width: 4, alpha: 0)] && s.decode.run == nil)
    s.decodingEnabled = false
    _ = update(&s, .key(.character("1")), size: size)
    #expect(update(&s, .key(.character("2")), size: size) == [] && s.screen == .attention)
    #expect(s.notice == "the decode screen is not available here")
  }

  @Test func stepsForwardBackAndHomeWithinTheRun() {
    var s = state()
    s.screen = .decode
    s.decode.run = sampleDecodeRun()
    for key: Key in [.character("n"), .right, .right, .right] { _ = update(&s, .key(key), size: size) }
    #expect(s.decode.step == 2)
    _ = update(&s, .key(.character("p")), size: size)
    #expect(s.decode.step == 1 && s.cursorRow == 0, "the attention screen's cursor is untouched")
    _ = update(&s, .key(.home), size: size)
    #expect(s.decode.step == 0)
    _ = update(&s, .key(.left), size: size)
    #expect(s.decode.step == 0)
    _ = update(&s, .key(.character("]")), size: size)
    #expect(s.decode.head == 1)
    _ = update(&s, .key(.character("]")), size: size)
    #expect(s.decode.head == 0, "heads cycle")
    _ = update(&s, .key(.character(">")), size: size)
    #expect(s.decode.layer == 0, "one layer")
  }

  @Test func eEditsTheInputAndEnterRedecodes() {
    var s = state()
    s.screen = .decode
    s.decode.run = sampleDecodeRun()
    _ = update(&s, .key(.character("e")), size: size)
    #expect(s.prompt?.purpose == .editInput)
    for character in "hi" { _ = update(&s, .key(.character(character)), size: size) }
    #expect(update(&s, .key(.enter), size: size) == [.retrace(text: "hi")])
    #expect(s.invalidateDecoding() == [.runDecode], "the host re-traces, then the screen asks for a new run")
  }

  @Test func spacePlaysOneStepPerTickAndStopsAtTheEnd() {
    var s = state()
    s.screen = .decode
    s.decode.run = sampleDecodeRun()
    #expect(s.tickInterval == nil && tick(&s) == [] && s.decode.step == 0, "paused: ticks do nothing")
    #expect(update(&s, .key(.character(" ")), size: size) == [])
    #expect(s.decode.playing && s.tickInterval == .milliseconds(400))
    _ = tick(&s)
    #expect(s.decode.step == 1 && s.decode.playing)
    _ = tick(&s)
    #expect(s.decode.step == 2 && !s.decode.playing && s.tickInterval == nil, "stops on the last step")
    _ = tick(&s)
    #expect(s.decode.step == 2)
    // Space at the end plays again from the start; a stepping key pauses.
    _ = update(&s, .key(.character(" ")), size: size)
    #expect(s.decode.step == 0 && s.decode.playing)
    _ = tick(&s)
    _ = update(&s, .key(.left), size: size)
    #expect(s.decode.step == 0 && !s.decode.playing)
    _ = tick(&s)
    #expect(s.decode.step == 0)
    // Space pauses too; leaving the screen stops playback at the next tick.
    _ = update(&s, .key(.character(" ")), size: size)
    _ = update(&s, .key(.character(" ")), size: size)
    #expect(!s.decode.playing)
    _ = update(&s, .key(.character(" ")), size: size)
    _ = update(&s, .key(.character("1")), size: size)
    _ = tick(&s)
    #expect(s.decode.step == 0 && !s.decode.playing)
    // Stopped on the first step: the status line shows it, without the "▶ playing" mark.
    #expect(
      trimmed(DecodeScreen.view(s, size: size))[29]
        == " toy │ decode │ step 1/3 │ '<s>' → 'ti' p 0.750 │ layer 1 head 1")
  }

  @Test func playingShowsInTheStatusLine() {
    var s = state()
    s.screen = .decode
    s.decode.run = sampleDecodeRun()
    _ = update(&s, .key(.character(" ")), size: size)
    #expect(trimmed(DecodeScreen.view(s, size: size))[29].hasSuffix("│ layer 1 head 1 │ ▶ playing"))
  }

  @Test func snapshot100x30Monochrome() {
    var s = state()
    s.screen = .decode
    s.decode.run = sampleDecodeRun()
    s.decode.step = 1
    let lines = trimmed(DecodeScreen.view(s, size: size))
    #expect(lines[0].hasPrefix(" attnscope · toy · test"))
    #expect(lines[1].hasSuffix("    step 2/3  layer 1/1  head 1/2"), "the tab row, then the screen's header")
    #expect(lines[3] == " source  i love you </s>")
    #expect(lines[4] == " target  <s> ti [amo]")
    #expect(lines[6] == " masked self-attention of 'ti'                     cross-attention of 'ti'")
    #expect(
      Array(lines[7...12]) == [
        "                                                       i  l  y  <",
        "     <  t                                                 o  o  /",
        "     s  i                                                 v  u  s",
        "     >                                                    e     >",
        " ti    @@@                                         ti    @@@",
        " most on 'ti' 1.000                                most on 'love' 1.000",
      ])
    #expect(lines[15] == " ▶ amo   ██████████████████████████████·········· 0.750  chosen")
    #expect(lines[16] == "   molto ██████████······························ 0.250")
    #expect(lines[29] == " toy │ decode │ step 2/3 │ 'ti' → 'amo' p 0.750 │ layer 1 head 1")
  }

  @Test func waitsWithAMessageAndAnyStateDrawsAtAnySize() {
    var s = state()
    s.screen = .decode
    _ = update(&s, .failed(.runDecode, "toy is encoder-only"))
    #expect(trimmed(AppView.view(s, size: size))[3] == " cannot decode: toy is encoder-only")
    s.decode.run = sampleDecodeRun()
    s.compare.run = sampleCompareRun()
    for screen in Screen.allCases {
      s.screen = screen
      for width in [0, 39, 40, 61, 100] { _ = AppView.view(s, size: (width, width / 3 + 10)) }
    }
  }
}

@Suite struct CompareScreenViewTests {
  let size = (width: 100, height: 30)

  @Test func widthAndAlphaKeysAskForARerun() {
    var s = AppState(trace: sampleTrace(), modelDescription: "test", depth: .monochrome)
    s.screen = .compare
    s.compare.run = sampleCompareRun()
    #expect(update(&s, .key(.character("+")), size: size) == [.runCompare(width: 5, alpha: 0)])
    s.compare.run = sampleCompareRun(width: 5)
    #expect(update(&s, .key(.character("-")), size: size) == [.runCompare(width: 4, alpha: 0)])
    s.compare.run = sampleCompareRun()
    #expect(update(&s, .key(.character("a")), size: size) == [.runCompare(width: 4, alpha: 0.1)])
    #expect(update(&s, .key(.character("a")), size: size) == [.runCompare(width: 4, alpha: 0.2)])
    #expect(update(&s, .key(.character("A")), size: size) == [.runCompare(width: 4, alpha: 0.1)])
    s.compare.width = 16
    #expect(update(&s, .key(.character("+")), size: size) == [], "16 is the widest beam")
    s.compare.alphaTenths = 0
    #expect(update(&s, .key(.character("A")), size: size) == [], "α stays ≥ 0")
  }

  @Test func divergenceIsTheFirstDifferentToken() {
    #expect(sampleCompareRun().divergence == 1)
    var same = sampleCompareRun()
    same.beam = [same.greedy]
    #expect(same.divergence == nil)
    same.beam[0].tokens = ["ti"]
    #expect(same.divergence == 1)
  }

  @Test func snapshot100x30Monochrome() {
    var s = AppState(trace: sampleTrace(), modelDescription: "test", depth: .monochrome)
    s.screen = .compare
    s.compare.run = sampleCompareRun()
    let lines = trimmed(CompareScreen.view(s, size: size))
    #expect(lines[1].hasSuffix("    beam width 4  α 0.0  step 2/3"), "the tab row, then the screen's header")
    // The first divergent step is picked until another is; ▲ marks it under both hypotheses.
    #expect(
      Array(lines[3...10]) == [
        " greedy   ti amo </s>                                    log-prob  -1.0000   score (α 0.0)  -1.0000",
        "          ti      amo     </s>",
        "          -0.500  -0.250  -0.250",
        "                  ▲",
        " beam 4   ti voglio </s>                                 log-prob  -0.7500   score (α 0.0)  -0.7500",
        "          ti      voglio  </s>",
        "          -0.500  -0.125  -0.125",
        "                  ▲",
      ])
    #expect(lines[11] == " they diverge at step 2: greedy 'amo', beam 'voglio'")
    #expect(
      Array(lines[13...19]) == [
        " greedy: cross-attention of 'ti' → 'amo'           beam 4: cross-attention of 'ti' → 'voglio'",
        "     i  l  y  <                                        i  l  y  <",
        "        o  o  /                                           o  o  /",
        "        v  u  s                                           v  u  s",
        "        e     >                                           e     >",
        " ti    @@@                                         ti          @@@",
        " most on 'love' 1.000                              most on '</s>' 1.000",
      ])
    #expect(lines[21] == " beam n-best (width 4, α 0.0)                               log-prob     score")
    #expect(lines[22] == "   1  ti voglio </s>                                        -0.7500   -0.7500")
    #expect(
      lines[29] == " toy │ compare │ greedy -1.0000 │ beam 4 -0.7500 │ α 0.0 │ step 2/3 │ layer 1 head 1")
  }

  @Test func arrowsAndClicksPickAStepAndTheDivergenceStaysHighlighted() {
    var s = AppState(trace: sampleTrace(), modelDescription: "test", depth: .monochrome)
    s.screen = .compare
    s.compare.run = sampleCompareRun()
    #expect(s.selectedCompareStep == 1, "starts at the divergent step")
    #expect(update(&s, .key(.left), size: size) == [] && s.selectedCompareStep == 0)
    _ = update(&s, .key(.character("h")), size: size)
    #expect(s.selectedCompareStep == 0, "clamped at the first step")
    for key: Key in [.right, .character("l"), .right] { _ = update(&s, .key(key), size: size) }
    #expect(s.selectedCompareStep == 2, "clamped at the last step")
    let lines = trimmed(CompareScreen.view(s, size: size))
    #expect(lines[6] == "                          ▲" && lines[29].contains("│ step 3/3 │"))
    #expect(lines[13].hasPrefix(" greedy: cross-attention of 'amo' → '</s>'"))
    #expect(lines[13].contains("beam 4: cross-attention of 'voglio' → '</s>'"), "the beam's own query")
    let canvas = CompareScreen.view(s, size: size)
    #expect(canvas[18, 4].attributes.contains(.reverse), "the divergent token stays reversed")
    #expect(canvas[26, 4].attributes.contains(.underline), "the picked one is underlined")
    // Heads and layers as on the decode screen; heads cycle.
    _ = update(&s, .key(.character("]")), size: size)
    #expect(s.decode.head == 1)
    _ = update(&s, .key(.character("]")), size: size)
    #expect(s.decode.head == 0)
    // A click on a token (or its log-prob) of either hypothesis picks its step.
    _ = update(&s, .mouse(MouseEvent(x: 11, y: 8, button: .left)), size: size)
    #expect(s.compare.step == 0)
    _ = update(&s, .mouse(MouseEvent(x: 19, y: 5, button: .left)), size: size)
    #expect(s.compare.step == 1)
    _ = update(&s, .mouse(MouseEvent(x: 90, y: 5, button: .left)), size: size)
    #expect(s.compare.step == 1, "a click past the tokens changes nothing")
    // A new width keeps the pick; new input forgets it.
    #expect(update(&s, .key(.character("+")), size: size) == [.runCompare(width: 5, alpha: 0)])
    #expect(s.compare.step == 1)
    _ = s.invalidateDecoding()
    #expect(s.compare.step == nil)
  }

  @Test func aHypothesisThatEndedEarlySaysSo() {
    var s = AppState(trace: sampleTrace(), modelDescription: "test", depth: .monochrome)
    s.screen = .compare
    var run = sampleCompareRun()
    run.beam[0].tokens = ["ti", "</s>"]
    run.beamSteps.removeLast()
    s.compare.run = run
    s.compare.step = 2
    let lines = trimmed(CompareScreen.view(s, size: size))
    #expect(lines[13].contains("beam 4: ended before step 3"))
    #expect(lines[13].hasPrefix(" greedy: cross-attention of 'amo' → '</s>'"))
  }

}
