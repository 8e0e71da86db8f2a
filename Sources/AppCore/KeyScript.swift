// `--keys "j j l <tab> q"`: keys for a headless run, written as words separated by spaces.
// A single character is that key (`j`, `]`, `<`, `?`); a name in angle brackets is a special key
// (`<tab>`, `<s-tab>`, `<enter>`, `<esc>`, `<space>`, `<bs>`, `<del>`, `<up>`, `<down>`, `<left>`,
// `<right>`, `<home>`, `<end>`, `<pgup>`, `<pgdn>`, `<f1>`…`<f12>`, `<c-x>` for Ctrl-X, and
// `<tick>`, one tick of decode playback); a longer bare word is typed letter by letter (`o reverse
// <enter>`), except a key name written without its brackets, which is refused as a likely slip.
import Render

/// One step of a key script.
public enum ScriptStep: Hashable, Sendable {
  case event(InputEvent)
  /// Playback's timer firing once (AppCore's `tick`), which a headless run has no clock for.
  case tick
}

public enum KeyScript {
  public struct Failure: Error, CustomStringConvertible, Equatable {
    public let description: String
  }

  /// The steps of `script`, or one line naming the first word that is not a key.
  public static func parse(_ script: String) throws(Failure) -> [ScriptStep] {
    var steps: [ScriptStep] = []
    for word in script.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }) {
      let word = String(word)
      if word.count == 1 {
        steps.append(.event(.key(.character(word.first!))))
      } else if word.hasPrefix("<"), word.hasSuffix(">"), word.count > 2 {
        let name = String(word.dropFirst().dropLast()).lowercased()
        guard let step = named(name) else {
          throw Failure(
            description:
              "--keys: unknown key name \(quoted(word)) (known: \(knownNames), <c-LETTER>, <f1>…<f12>, <tick>)"
          )
        }
        steps.append(step)
      } else {
        if named(word.lowercased()) != nil {
          throw Failure(
            description:
              "--keys: \(quoted(word)) would type its letters; write <\(word.lowercased())> for the key")
        }
        steps += word.map { .event(.key(.character($0))) }
      }
    }
    return steps
  }

  static let names: [(String, Key)] = [
    ("tab", .tab), ("s-tab", .backTab), ("enter", .enter), ("esc", .escape), ("space", .character(" ")),
    ("bs", .backspace), ("del", .delete), ("up", .up), ("down", .down), ("left", .left), ("right", .right),
    ("home", .home), ("end", .end), ("pgup", .pageUp), ("pgdn", .pageDown),
  ]
  static let aliases: [String: Key] = [
    "backtab": .backTab, "return": .enter, "cr": .enter, "escape": .escape, "backspace": .backspace,
    "delete": .delete, "pageup": .pageUp, "pagedown": .pageDown,
  ]
  static var knownNames: String { names.map { "<\($0.0)>" }.joined(separator: " ") }

  static func named(_ name: String) -> ScriptStep? {
    if name == "tick" { return .tick }
    if let key = names.first(where: { $0.0 == name })?.1 ?? aliases[name] { return .event(.key(key)) }
    if name.hasPrefix("c-"), name.count == 3, let letter = name.last, letter.isASCII, letter.isLetter {
      return .event(.key(.control(letter)))
    }
    if name.hasPrefix("f"), let number = Int(name.dropFirst()), (1...12).contains(number),
      name.dropFirst().allSatisfy(\.isASCII)
    {
      return .event(.key(.function(number)))
    }
    return nil
  }

  /// The word as typed, sanitised for the error line and cut at 40 characters.
  static func quoted(_ word: String) -> String {
    let shown = word.count > 40 ? String(word.prefix(40)) + "…" : word
    return "'" + TerminalText.sanitized(shown) + "'"
  }
}
