// Runs the contrast of one word in two inputs (Trace's `ContextualContrast`): each input framed
// as the model reads it, the residual stream of its stack at every layer, and that stack's attention.
import Trace
import Transformer

extension LoadedModel {
  /// `word` in `first` and `secondWord` (default: the same word) in `second`, on the stack that reads
  /// the text: the encoder (encoder-only and encoder-decoder models) or a decoder-only model's decoder.
  public func contrast(first: String, second: String, word: String, secondWord: String? = nil)
    throws(ModelError) -> ContrastRun
  {
    var run = try contrast(first: first, second: second)
    do {
      let a = try ContextualContrast.locate(word, in: run.first.tokens, name: "input 1")
      let b = try ContextualContrast.locate(secondWord ?? word, in: run.second.tokens, name: "input 2")
      (run.first.position, run.second.position) = (a.position, b.position)
      run.notices += [a.notice, b.notice].compactMap { $0 }
    } catch {
      throw ModelError(error.description)
    }
    return run
  }

  /// Both inputs run, each word position on its input's last token (the viewer's screen 0 moves them).
  public func contrast(first: String, second: String) throws(ModelError) -> ContrastRun {
    var notices = format.notices
    let a = try contrastSide(first, name: "input 1", notices: &notices)
    let b = try contrastSide(second, name: "input 2", notices: &notices)
    return ContrastRun(model: name, first: a, second: b, notices: notices)
  }

  private func contrastSide(_ text: String, name: String, notices: inout [String]) throws(ModelError)
    -> ContrastSide
  {
    let decoderOnly = config.architecture == .decoderOnly
    guard config.architecture != .vision, let stack = decoderOnly ? model.decoder : model.encoder else {
      throw ModelError("\(self.name) is an image model: give it an image, not text")
    }
    var framing: [String] = []
    let tokens = try format.frame(
      text, side: decoderOnly ? .prompt : .input, limit: config.maxPositions, notices: &framing)
    notices += framing.map { "\(name): \($0)" }
    guard tokens.count > 1 else {
      throw ModelError(
        "\(name) is one token ('\(tokens.first?.label ?? "")'): a word needs context to contrast")
    }
    let ids = try config.checkedIDs(
      tokens.map(\.id), name, vocabulary: decoderOnly ? config.decoderVocabSize : config.encoderVocabSize)
    let labels = tokens.map(\.label)
    let recorder = AttentionRecorder()
    let states = stack.hiddenStates(ids, labels: labels, recorder: recorder)
    let trace = AttentionTrace(model: self.name, tokens: TokenLabels(), attention: recorder.entries)
    return ContrastSide(
      text: text, tokens: labels, position: labels.count - 1,
      vectors: states.map { state in (0..<labels.count).map { Array(state.row($0)) } },
      attention: Array(trace.entries(stack: stack.role, kind: stack.selfAttentionKind)))
  }
}
