// The `o` dialog: the models the host found (bundled samples, the Hugging Face cache, Ollama's
// store, what was opened before) in a box above the prompt line, narrowed as the user types
// (case-insensitive, every typed word somewhere in the name or its origin). ↑/↓ pick; Enter opens
// the picked one, or the typed text itself when nothing matches (a path, a hub id, ollama:NAME).
import Foundation
import Render

/// One model the dialog offers.
public struct OpenChoice: Equatable, Sendable {
  public enum Origin: String, Equatable, Sendable {
    case sample = "sample"
    case hubCache = "HF cache"
    case ollama = "Ollama"
    case recent = "opened before"
  }
  /// What `.openModel` is given: a sample name, ORG/NAME, ollama:NAME:TAG or a path.
  public var reference: String
  public var origin: Origin

  public init(reference: String, origin: Origin) {
    self.reference = reference
    self.origin = origin
  }
}

public enum OpenDialog {
  /// The choices that match what is typed so far, in the host's order.
  public static func matches(_ prompt: Prompt) -> [OpenChoice] {
    let words = prompt.text.lowercased().split(separator: " ")
    guard !words.isEmpty else { return prompt.choices }
    return prompt.choices.filter { choice in
      let haystack = (choice.reference + " " + choice.origin.rawValue).lowercased()
      return words.allSatisfy { haystack.contains($0) }
    }
  }

  /// What Enter opens: the picked match, else the typed text.
  public static func reference(_ prompt: Prompt) -> String {
    let matches = matches(prompt)
    guard !matches.isEmpty else { return prompt.text.trimmingCharacters(in: .whitespaces) }
    return matches[min(max(0, prompt.selected), matches.count - 1)].reference
  }

  /// ↑ ↓ (also Ctrl-P, Ctrl-N) move the pick; true when the key was the dialog's.
  static func handle(_ key: Key, _ prompt: inout Prompt) -> Bool {
    let count = matches(prompt).count
    switch key {
    case .up, .control("p"): prompt.selected = max(0, prompt.selected - 1)
    case .down, .control("n"): prompt.selected = min(max(0, count - 1), prompt.selected + 1)
    default: return false
    }
    return true
  }

  /// The box above the prompt line: one row per match (as many as fit), the picked one reversed.
  static func draw(_ prompt: Prompt, into canvas: inout Canvas) {
    let matches = matches(prompt)
    let promptRow = canvas.height - 2
    let rows = min(max(1, matches.count), max(1, promptRow - 4))
    let width = min(canvas.width - 2, 72)
    let top = promptRow - rows - 2
    guard top >= 2, width >= 20 else { return }
    var box = Canvas(width: width, height: rows + 2)
    BoxBorder.draw(
      into: &box, x: 0, y: 0, width: width, height: rows + 2,
      title: "open: type to filter, ↑↓ pick, Enter opens")
    if matches.isEmpty {
      let text =
        prompt.choices.isEmpty
        ? "no models found; type a name or a path" : "no match: Enter opens the typed text"
      box.put(text, x: 2, y: 1, attributes: [.dim], maxWidth: width - 4)
    }
    let selected = min(max(0, prompt.selected), max(0, matches.count - 1))
    let first = max(0, min(selected - rows + 1, matches.count - rows))
    for (row, index) in (first..<min(matches.count, first + rows)).enumerated() {
      let choice = matches[index]
      let origin = choice.origin.rawValue
      let attributes: CellAttributes = index == selected ? [.reverse, .bold] : []
      box.fill(x: 1, y: row + 1, width: width - 2, height: 1, with: Cell(attributes: attributes))
      box.put(choice.reference, x: 2, y: row + 1, attributes: attributes, maxWidth: width - origin.count - 6)
      box.put(origin, x: width - origin.count - 2, y: row + 1, attributes: attributes.union(.dim))
    }
    canvas.blit(box, x: 1, y: top)
  }
}
