// A small terminal for replaying asciicast files in tests: a grid of characters, the cursor, and
// the sequences an attnscope recording holds (CUP, ED, SGR, the alternate screen and cursor modes;
// printable text). Anything else is an error, so a recording that needs more than this cannot
// pass by being half understood. Colours are parsed and dropped: the comparison is with tmux's
// plain capture. Follows ECMA-48 for CSI syntax and xterm's ctlseqs for private modes 1049 and 25.
import Foundation

struct CastReplay {
  struct Failure: Error, CustomStringConvertible { let description: String }

  private(set) var width: Int
  private(set) var height: Int
  private(set) var main: [[Character]]
  /// The alternate screen; it keeps its contents after leaving, for comparison.
  private(set) var alternate: [[Character]]
  private(set) var onAlternate = false
  private var row = 0
  private var column = 0

  init(width: Int, height: Int) {
    (self.width, self.height) = (width, height)
    main = Array(repeating: Array(repeating: " ", count: width), count: height)
    alternate = main
  }

  var alternateLines: [String] {
    alternate.map { String($0).replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression) }
  }

  mutating func resize(width: Int, height: Int) {
    func fitted(_ grid: [[Character]]) -> [[Character]] {
      (0..<height).map { r in (0..<width).map { c in r < grid.count && c < grid[r].count ? grid[r][c] : " " }
      }
    }
    (main, alternate) = (fitted(main), fitted(alternate))
    (self.width, self.height) = (width, height)
  }

  mutating func feed(_ text: String) throws {
    var scalars = Array(text.unicodeScalars)[...]
    while let scalar = scalars.first {
      scalars = scalars.dropFirst()
      if scalar == "\u{1B}" {
        guard scalars.first == "[" else {
          throw Failure(description: "unexpected ESC \(String(String.UnicodeScalarView(scalars.prefix(4))))")
        }
        scalars = scalars.dropFirst()
        var parameters = ""
        while let next = scalars.first, (0x30...0x3F).contains(next.value) {
          parameters.unicodeScalars.append(next)
          scalars = scalars.dropFirst()
        }
        guard let final = scalars.first else { throw Failure(description: "truncated CSI") }
        scalars = scalars.dropFirst()
        try csi(parameters, final)
      } else if scalar.value < 0x20 || scalar.value == 0x7F {
        throw Failure(description: "unexpected control U+\(String(scalar.value, radix: 16))")
      } else {
        put(Character(scalar))
      }
    }
  }

  private mutating func put(_ character: Character) {
    if row < height, column < width {
      if onAlternate { alternate[row][column] = character } else { main[row][column] = character }
    }
    column += 1
  }

  private mutating func csi(_ parameters: String, _ final: Unicode.Scalar) throws {
    switch (parameters, final) {
    case ("?1049", "h"): onAlternate = true
    case ("?1049", "l"): onAlternate = false
    case ("?25", "h"), ("?25", "l"): break
    case (_, "m"): break  // colours and attributes
    case ("2", "J"):
      let blank = Array(repeating: Array(repeating: Character(" "), count: width), count: height)
      if onAlternate { alternate = blank } else { main = blank }
    case (_, "H"):
      let numbers = parameters.split(separator: ";").map { Int($0) ?? 1 }
      row = (numbers.first ?? 1) - 1
      column = (numbers.count > 1 ? numbers[1] : 1) - 1
    default: throw Failure(description: "unsupported sequence CSI \(parameters)\(final)")
    }
  }
}

/// An asciicast v2 file: the header and the events, each line parsed as JSON on its own.
struct Asciicast {
  let header: [String: Any]
  let events: [(time: Double, code: String, data: String)]

  init(contentsOf url: URL) throws {
    let lines = try String(contentsOf: url, encoding: .utf8).split(
      separator: "\n", omittingEmptySubsequences: false)
    guard lines.last == "" else {
      throw CastReplay.Failure(description: "the file does not end with a newline")
    }
    guard let first = lines.first,
      let header = try JSONSerialization.jsonObject(with: Data(first.utf8)) as? [String: Any]
    else { throw CastReplay.Failure(description: "no header object") }
    self.header = header
    events = try lines.dropFirst().dropLast().map { line in
      guard let event = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [Any], event.count == 3,
        let time = (event[0] as? NSNumber)?.doubleValue, let code = event[1] as? String,
        let data = event[2] as? String
      else { throw CastReplay.Failure(description: "not an event: \(line.prefix(80))") }
      return (time, code, data)
    }
  }

  /// Every event replayed from the header's size.
  func replay() throws -> CastReplay {
    var terminal = CastReplay(width: header["width"] as! Int, height: header["height"] as! Int)
    for event in events {
      switch event.code {
      case "o": try terminal.feed(event.data)
      case "r":
        let size = event.data.split(separator: "x").compactMap { Int($0) }
        terminal.resize(width: size[0], height: size[1])
      default: throw CastReplay.Failure(description: "unknown event type \(event.code)")
      }
    }
    return terminal
  }
}
