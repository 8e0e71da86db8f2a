// `--keys` scripts and the `o` dialog: parsing, refusals, filtering, picking, and what Enter opens.
import AppCore
import Render
import Testing

@Suite struct KeyScriptTests {
  @Test func charactersNamesAndWords() throws {
    let steps = try KeyScript.parse("j ] <tab> <S-Tab> <c-c> <f5> <tick> <space> <  o ab <enter>")
    #expect(
      steps == [
        .event(.key(.character("j"))), .event(.key(.character("]"))), .event(.key(.tab)),
        .event(.key(.backTab)),
        .event(.key(.control("c"))), .event(.key(.function(5))), .tick, .event(.key(.character(" "))),
        .event(.key(.character("<"))), .event(.key(.character("o"))), .event(.key(.character("a"))),
        .event(.key(.character("b"))), .event(.key(.enter)),
      ])
    #expect(try KeyScript.parse("") == [])
  }

  @Test func unknownNamesAndBareKeyNamesAreOneLine() {
    #expect(throws: KeyScript.Failure.self) { try KeyScript.parse("j <tabb> q") }
    do {
      _ = try KeyScript.parse("j <tabb> q")
    } catch {
      #expect(error.description.hasPrefix("--keys: unknown key name '<tabb>' (known: <tab> <s-tab>"))
      #expect(!error.description.contains("\n"))
    }
    do {
      _ = try KeyScript.parse("j tab")
      Issue.record("a bare key name was typed as letters")
    } catch {
      #expect(error.description == "--keys: 'tab' would type its letters; write <tab> for the key")
    }
    // Control characters in a bad name are shown escaped, never sent to the terminal.
    do { _ = try KeyScript.parse("<\u{1B}[2J>") } catch { #expect(!error.description.contains("\u{1B}")) }
    for bad in ["<f13>", "<c-1>", "<c-ab>", "<f>"] {
      #expect(throws: KeyScript.Failure.self, "\(bad)") { try KeyScript.parse(bad) }
    }
  }
}

@Suite struct OpenDialogTests {
  let choices = [
    OpenChoice(reference: "en-it", origin: .sample), OpenChoice(reference: "reverse", origin: .sample),
    OpenChoice(reference: "HuggingFaceTB/SmolLM2-135M", origin: .hubCache),
    OpenChoice(reference: "ollama:smollm2:135m", origin: .ollama),
    OpenChoice(reference: "/data/models/opus-mt-en-it", origin: .recent),
  ]

  func openState() -> AppState {
    var state = AppState(trace: sampleTrace(), modelDescription: "m", depth: .palette256)
    #expect(update(&state, .key(.character("o")), size: (80, 24)) == [.listModels])
    _ = update(&state, .modelsListed(choices))
    return state
  }

  func type(_ text: String, _ state: inout AppState) {
    for character in text { _ = update(&state, .key(.character(character)), size: (80, 24)) }
  }

  @Test func typingFiltersAndEnterOpensThePick() {
    var state = openState()
    #expect(state.prompt?.choices == choices)
    type("en it", &state)  // both words, anywhere in the name
    #expect(OpenDialog.matches(state.prompt!).map(\.reference) == ["en-it", "/data/models/opus-mt-en-it"])
    _ = update(&state, .key(.down), size: (80, 24))
    _ = update(&state, .key(.down), size: (80, 24))  // stops at the last match
    #expect(update(&state, .key(.enter), size: (80, 24)) == [.openModel("/data/models/opus-mt-en-it")])
    #expect(state.prompt == nil)
  }

  @Test func originsFilterTooAndNoMatchOpensTheTypedText() {
    var state = openState()
    type("ollama", &state)
    #expect(OpenDialog.matches(state.prompt!).map(\.reference) == ["ollama:smollm2:135m"])
    for _ in 0..<6 { _ = update(&state, .key(.backspace), size: (80, 24)) }
    type("./my-model", &state)
    #expect(OpenDialog.matches(state.prompt!).isEmpty)
    #expect(update(&state, .key(.enter), size: (80, 24)) == [.openModel("./my-model")])
  }

  @Test func theBoxListsMatchesWithTheirOrigin() {
    var state = openState()
    type("rev", &state)
    let text = AppView.view(state, size: (80, 24)).lines.joined(separator: "\n")
    #expect(text.contains("open: type to filter"))
    #expect(text.contains("reverse"))
    #expect(text.contains("sample"))
    // Escape closes the dialog with nothing opened.
    #expect(update(&state, .key(.escape), size: (80, 24)) == [])
    #expect(!AppView.view(state, size: (80, 24)).lines.joined().contains("open: type to filter"))
  }

  @Test func anEmptyListSaysSoAndTheDialogFitsSmallScreens() {
    var state = AppState(trace: sampleTrace(), modelDescription: "m", depth: .palette256)
    _ = update(&state, .key(.character("o")), size: (40, 12))
    #expect(AppView.view(state, size: (80, 24)).lines.joined().contains("no models found"))
    _ = update(&state, .modelsListed((0..<100).map { OpenChoice(reference: "m\($0)", origin: .sample) }))
    for _ in 0..<99 { _ = update(&state, .key(.down), size: (40, 12)) }
    let small = AppView.view(state, size: (40, 12)).lines.joined(separator: "\n")
    #expect(small.contains("m99"), "the pick scrolls into view")
  }
}
