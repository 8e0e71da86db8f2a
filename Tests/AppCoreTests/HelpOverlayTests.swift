// The help overlay's layout at 80×24 and 200×60: whole sections flow into columns (no heading left
// without its keys), long actions wrap instead of being cut, and pages hold what one screen cannot.
import Testing

@testable import AppCore
@testable import Render
@testable import Trace

@Suite struct HelpOverlayTests {
  static let sizes = [(80, 24), (200, 60)]

  @Test(arguments: sizes) func noHeadingEndsAColumnAndNoSectionIsSplitFromItsHeading(
    _ width: Int, _ height: Int
  ) {
    for screen in Screen.allCases {
      for page in HelpOverlay.pages(for: screen, size: (width, height)) {
        for column in page {
          for (index, line) in column.enumerated() where line.heading {
            #expect(index + 1 < column.count, "\(screen) \(width)×\(height): '\(line.text)' ends its column")
            if index + 1 < column.count {
              #expect(!column[index + 1].heading && !column[index + 1].text.isEmpty)
            }
          }
          #expect(column.first?.heading == true, "every column starts under a heading")
        }
      }
    }
  }

  @Test(arguments: sizes) func everyKeyIsShownWholeOnSomePage(_ width: Int, _ height: Int) {
    var state = AppState(trace: sampleTrace(), modelDescription: "", depth: .palette256)
    let size = (width, height)
    _ = update(&state, .key(.character("?")), size: size)
    var shown: [String] = []
    let pages = HelpOverlay.pages(for: state.screen, size: size)
    #expect(HelpOverlay.pageCount(for: state.screen, size: size) == pages.count)
    for page in pages.indices {
      #expect(state.showHelp && state.helpPage == page)
      let frame = AppView.view(state, size: size).lines.joined(separator: "\n")
      // Every line of the page is on the frame, whole.
      for line in pages[page].joined() where !line.text.isEmpty {
        #expect(
          frame.contains(line.text), "\(width)×\(height) page \(page + 1): '\(line.text)' missing or cut")
      }
      // Read column by column, as a reader does.
      shown += pages[page].map { $0.map(\.text).joined(separator: " ") }
      _ = update(&state, .key(.character(" ")), size: size)
    }
    #expect(!state.showHelp, "space on the last page closes the help")
    // Joined across wrapped lines, every action appears word for word.
    let words = shown.joined(separator: " ").split(whereSeparator: \.isWhitespace).joined(separator: " ")
    for section in HelpOverlay.sections(for: .attention) {
      #expect(words.contains(section.title), "\(width)×\(height) lacks '\(section.title)'")
      for binding in section.bindings {
        let action = binding.action.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(words.contains(action), "\(width)×\(height) cuts '\(binding.action)'")
      }
    }
    #expect(words.contains("decoder cross"))
    let count = pages.count
    if width == 200 { #expect(count == 1, "200×60 shows every key at once") }
  }

  @Test(arguments: sizes) func linesFitTheirColumn(_ width: Int, _ height: Int) {
    let pages = HelpOverlay.pages(for: .attention, size: (width, height))
    let count = pages.map(\.count).max() ?? 1
    let columnWidth = max(1, (width - 4) / count)
    for line in pages.joined().joined() {
      #expect(TerminalText.columns(of: line.text) <= columnWidth - 1, "'\(line.text)'")
    }
  }
}
