// The SVG exporter: well-formed XML, one text element per run, merged background rectangles, escapes.
import Foundation
import Testing

@testable import Render

#if canImport(FoundationXML)
  import FoundationXML
#endif

/// Collects element names, attributes and each text element's characters.
final class SVGCollector: NSObject, XMLParserDelegate {
  var elements: [(name: String, attributes: [String: String])] = []
  var texts: [String] = []
  private var inText = false

  func parser(
    _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
    attributes: [String: String] = [:]
  ) {
    elements.append((name, attributes))
    if name == "text" {
      inText = true
      texts.append("")
    }
  }

  func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?)
  {
    if name == "text" { inText = false }
  }

  func parser(_ parser: XMLParser, foundCharacters string: String) {
    if inText { texts[texts.count - 1] += string }
  }

  /// Parses `svg`; nil when it is not well-formed.
  static func parse(_ svg: String) -> SVGCollector? {
    let parser = XMLParser(data: Data(svg.utf8))
    let collector = SVGCollector()
    parser.delegate = collector
    return parser.parse() ? collector : nil
  }

  func rects() -> [[String: String]] { elements.filter { $0.name == "rect" }.map(\.attributes) }
}

@Suite struct SVGExporterTests {
  @Test func wellFormedWithOneTextPerRun() throws {
    var canvas = Canvas(width: 6, height: 3)
    canvas.put("ab cd", x: 0, y: 0)  // a blank splits runs: 2
    canvas.put("x", x: 0, y: 1, attributes: [.bold])
    canvas.put("y", x: 1, y: 1)  // a style change splits runs: 2
    canvas[0, 2] = Cell("█", foreground: .rgb(255, 0, 0))  // blocks are rectangles, not text
    canvas[1, 2] = Cell("▀", foreground: .rgb(0, 255, 0), background: .rgb(0, 0, 255))
    let svg = SVGExporter.render(canvas)
    let parsed = try #require(SVGCollector.parse(svg), "not well-formed:\n\(svg)")
    #expect(parsed.elements.first?.name == "svg")
    #expect(
      parsed.elements.first?.attributes["width"] == "48"
        && parsed.elements.first?.attributes["height"] == "48")
    #expect(parsed.texts == ["ab", "cd", "x", "y"])
    let bold = parsed.elements.filter { $0.name == "text" && $0.attributes["font-weight"] == "bold" }
    #expect(bold.count == 1)
    // The page, the ▀ cell's blue background, the full block and the upper half.
    #expect(parsed.rects().map { $0["fill"] } == ["#1e1e1e", "#0000ff", "#ff0000", "#00ff00"])
    #expect(parsed.rects()[3]["height"] == "8")
  }

  @Test func runsOfOneBackgroundBecomeOneRectangle() throws {
    var canvas = Canvas(width: 8, height: 1)
    canvas.fill(x: 1, y: 0, width: 5, height: 1, with: Cell(background: .rgb(10, 20, 30)))
    canvas[6, 0] = Cell(background: .rgb(10, 20, 31))
    let parsed = try #require(SVGCollector.parse(SVGExporter.render(canvas)))
    let rects = parsed.rects().dropFirst()
    #expect(rects.map { $0["x"] } == ["8", "48"])
    #expect(rects.map { $0["width"] } == ["40", "8"])
    // Half blocks of one colour merge the same way (their backgrounds are separate rectangles).
    var blocks = Canvas(width: 4, height: 1)
    blocks.fill(x: 0, y: 0, width: 3, height: 1, with: Cell("▀", foreground: .rgb(1, 2, 3)))
    let halves = try #require(SVGCollector.parse(SVGExporter.render(blocks))).rects().dropFirst()
    #expect(halves.map { [$0["width"], $0["height"], $0["fill"]] } == [["24", "8", "#010203"]])
  }

  @Test func markupCharactersAreEscaped() throws {
    let canvas = Canvas(lines: ["<&>\"'"])
    let svg = SVGExporter.render(canvas)
    #expect(svg.contains("&lt;&amp;&gt;&quot;&apos;"))
    let parsed = try #require(SVGCollector.parse(svg))
    #expect(parsed.texts == ["<&>\"'"])
  }

  @Test func reverseVideoSwapsColoursAndDepthQuantises() throws {
    var canvas = Canvas(width: 2, height: 1)
    canvas[0, 0] = Cell("r", attributes: [.reverse, .dim, .underline])
    canvas[1, 0] = Cell("q", foreground: .rgb(250, 10, 10))
    let parsed = try #require(SVGCollector.parse(SVGExporter.render(canvas, depth: .ansi8)))
    #expect(parsed.rects().last?["fill"] == "#d4d4d4")
    let texts = parsed.elements.filter { $0.name == "text" }.map(\.attributes)
    #expect(texts[0]["fill"] == "#1e1e1e" && texts[0]["fill-opacity"] == "0.6")
    #expect(texts[0]["text-decoration"] == "underline")
    #expect(texts[1]["fill"] == "#cd0000")  // ANSI red as xterm draws it
    let mono = try #require(SVGCollector.parse(SVGExporter.render(canvas, depth: .monochrome)))
    #expect(mono.elements.filter { $0.name == "text" }.last?.attributes["fill"] == "#d4d4d4")
  }
}
