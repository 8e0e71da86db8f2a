// The host half of the closed loop: each effect comes back as a message, `update` applies it, and
// the compare screen's beam is the model's decoding policy's (the same search `decode` runs).
import AppCore
import Decoding
import Foundation
import Testing
import Trace
import Transformer
import ViewerHost
import Workbench

@Suite struct ViewerSessionTests {
  static let size = (width: 100, height: 30)

  static func session(_ name: String = "en-it") throws -> (ViewerSession, AppState) {
    let session = try ViewerSession(model: try ModelFormats.open(name))
    let view = try session.view()
    var state = AppState(trace: view.trace, modelDescription: view.description, depth: .palette256)
    _ = update(&state, .opened(view))
    return (session, state)
  }

  /// Runs `effects` (and whatever they lead to) through the session, as the TUI loop does.
  static func drain(_ effects: [Effect], _ session: inout ViewerSession, _ state: inout AppState) {
    var queue = effects
    while !queue.isEmpty {
      let effect = queue.removeFirst()
      guard let message = session.perform(effect, state: state, size: size) else { return }
      queue += update(&state, message)
    }
  }

  @Test func switchingToTheCompareScreenRunsTheModelsBeamSearch() throws {
    var (session, state) = try Self.session()
    Self.drain(update(&state, .key(.character("3")), size: Self.size), &session, &state)
    let run = try #require(state.compare.run)
    #expect(run.width == 4 && state.compare.isCurrent && state.compare.problem == nil)
    // The same search `attnscope decode --strategy beam` runs: the model's policy.
    guard case .text(let loaded) = session.model else { throw ModelError("en-it is a text model") }
    let source = try loaded.decodingSource(text: session.input)
    let options = DecodingOptions(startToken: source.firstToken, endToken: loaded.endID, maxLength: 20)
    let direct = try loaded.beamSearch(source, width: 4, alpha: 0, options: options)
    #expect(
      run.beam.map(\.tokens)
        == direct.hypotheses.map { $0.tokens.map(loaded.label) + ($0.finished ? ["</s>"] : []) })
    #expect(run.beam.map(\.score) == direct.scores)
  }

  @Test func aFailedOpenKeepsTheModelAndSaysWhy() throws {
    var (session, state) = try Self.session()
    let before = state.trace
    Self.drain([.openModel("/nonexistent/folder")], &session, &state)
    #expect(state.trace == before)
    #expect(session.model.name == "en-it")
    #expect(state.notice?.hasPrefix("could not open /nonexistent/folder: ") == true)
  }

  @Test func openingAnImageModelShowsItsPatchesAndNoDecoding() throws {
    var (session, state) = try Self.session()
    Self.drain([.openModel("shapes-vit")], &session, &state)
    #expect(state.screen == .patches && state.patches.view != nil && !state.decodingEnabled)
    #expect(session.model.name == "shapes-vit")
    // The decoding screens are refused with a notice rather than asking the host.
    #expect(update(&state, .key(.character("2")), size: Self.size).isEmpty)
    #expect(state.notice == "the decode screen is not available here")
  }

  @Test func aNewInputRetracesAndRedecodesTheScreenShown() throws {
    var (session, state) = try Self.session()
    Self.drain(update(&state, .key(.character("2")), size: Self.size), &session, &state)
    let first = try #require(state.decode.run)
    Self.drain([.retrace(text: "the girl sees the dog")], &session, &state)
    #expect(session.input == "the girl sees the dog")
    let second = try #require(state.decode.run)
    #expect(second.source != first.source)
    #expect(state.trace.tokens.encoder?.contains("girl") == true)
  }

  @Test func anEncoderOnlyModelSaysWhyItCannotDecode() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("viewer-host-\(UUID())")
    defer { try? FileManager.default.removeItem(at: folder) }
    // The MiniLM-shaped fixture is encoder-only.
    let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("HuggingFaceTests/Fixtures/bert")
    try FileManager.default.copyItem(at: fixtures, to: folder)
    var session = try ViewerSession(model: try ModelFormats.open(path: folder.path), input: "hello world")
    var state = AppState(trace: try session.view().trace, modelDescription: "bert", depth: .palette256)
    state.screen = .decode
    Self.drain(state.decodingEffects(), &session, &state)
    #expect(state.decode.run == nil)
    #expect(state.decode.problem?.contains("encoder-only") == true)
    // Asked again, the screen does not loop on the same failure.
    #expect(state.decodingEffects().isEmpty)
  }

  @Test func exportWritesBothFilesAndReportsThem() throws {
    var (session, state) = try Self.session()
    let name = FileManager.default.temporaryDirectory.appendingPathComponent("export-\(UUID())").path
    defer {
      try? FileManager.default.removeItem(atPath: name + ".svg")
      try? FileManager.default.removeItem(atPath: name + ".ans")
      try? FileManager.default.removeItem(atPath: name + ".png")
    }
    Self.drain([.exportScreen(name: name)], &session, &state)
    #expect(state.notice == "wrote \(name).svg, \(name).ans and \(name).png")
    #expect(FileManager.default.fileExists(atPath: name + ".svg"))
    Self.drain([.exportScreen(name: "/nonexistent-dir/x")], &session, &state)
    #expect(state.notice?.hasPrefix("could not write /nonexistent-dir/x.svg: ") == true)
  }

  /// `s` onto NAME.svg that is a FIFO with no reader: refused at once (it used to block in `open`,
  /// past `q` and Ctrl-C), and a FIFO with a reader is not written either.
  @Test func exportRefusesAFifoWithoutBlocking() throws {
    var (session, state) = try Self.session()
    let name = FileManager.default.temporaryDirectory.appendingPathComponent("fifo-\(UUID())").path
    #expect(mkfifo(name + ".svg", 0o600) == 0)
    defer { try? FileManager.default.removeItem(atPath: name + ".svg") }
    Self.drain([.exportScreen(name: name)], &session, &state)
    #expect(state.notice?.hasPrefix("could not write \(name).svg: ") == true)
    #expect(!FileManager.default.fileExists(atPath: name + ".ans"))
    let reader = open(name + ".svg", O_RDONLY | O_NONBLOCK)
    defer { close(reader) }
    Self.drain([.exportScreen(name: name)], &session, &state)
    #expect(state.notice == "could not write \(name).svg: not a regular file")
  }

  /// A Hugging Face model's compare screen opens at its generation config's num_beams (4) and
  /// length_penalty (1.0), and shows the hypotheses `decode --strategy beam` prints (transformers'
  /// semantics, checked against `generate` in HFParityTests).
  @Test func aHuggingFaceModelComparesUnderItsGenerationConfig() throws {
    let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("HuggingFaceTests/Fixtures/marian")
    var session = try ViewerSession(
      model: try ModelFormats.open(path: folder.path), input: "I love you very much")
    var state = AppState(trace: try session.view().trace, modelDescription: "marian", depth: .palette256)
    _ = update(&state, .opened(try session.view()))
    #expect(state.compare.width == 4 && state.compare.alphaTenths == 10)
    Self.drain(update(&state, .key(.character("3")), size: Self.size), &session, &state)
    let run = try #require(state.compare.run)
    guard case .text(let loaded) = session.model else { throw ModelError("marian is a text model") }
    let source = try loaded.decodingSource(text: session.input)
    let budget = try #require(loaded.defaultMaxLength(source))
    let options = DecodingOptions(startToken: source.firstToken, endToken: loaded.endID, maxLength: budget)
    let cli = try loaded.beamSearch(source, options: options)  // what `decode --strategy beam` runs
    #expect(
      run.beam.map(\.tokens)
        == cli.hypotheses.map {
          $0.tokens.map(loaded.label) + ($0.finished ? [loaded.label(loaded.endID)] : [])
        })
    #expect(run.beam.map(\.score) == cli.scores)
  }
}
