// Parses the regex subset tokenizer.json Split patterns use, in Oniguruma's Ruby syntax (the syntax
// `tokenizers` hands to onig::Regex::new): literals and escapes, bracket classes with ranges, `\p{…}`,
// `\s\S\d\D\w\W\h\H`, `.`, groups `(…)` `(?:…)` `(?i:…)` `(?i)`, alternation, `? * + {m,n}` greedy or
// lazy, lookahead `(?=…)` `(?!…)` of bounded length, anchors `^ $ \A \z \Z \b \B`. Anything else
// (backreferences, lookbehind, possessive and atomic groups, nested classes, scripts) is refused
// with a reason, rather than matched differently from the reference.

indirect enum RegexNode: Sendable, Equatable {
  case empty
  case scalars(ScalarClass)
  case concatenation([RegexNode])
  case alternation([RegexNode])
  case repetition(RegexNode, min: Int, max: Int?, greedy: Bool)
  case lookahead(RegexNode, negated: Bool)
  case anchor(RegexAnchor)

  /// The shortest and longest text the node can match (nil: unbounded).
  var lengthBounds: (min: Int, max: Int?) {
    switch self {
    case .empty, .lookahead, .anchor: return (0, 0)
    case .scalars: return (1, 1)
    case .concatenation(let parts):
      return parts.reduce((0, 0)) { total, part in
        let bounds = part.lengthBounds
        return (total.0 + bounds.min, total.1.flatMap { a in bounds.max.map { a + $0 } })
      }
    case .alternation(let options):
      let bounds = options.map(\.lengthBounds)
      let longest = bounds.contains { $0.max == nil } ? nil : bounds.compactMap(\.max).max()
      return (bounds.map(\.min).min() ?? 0, longest)
    case .repetition(let node, let min, let max, _):
      let bounds = node.lengthBounds
      return (bounds.min * min, max.flatMap { m in bounds.max.map { $0 * m } })
    }
  }
}

enum RegexAnchor: Sendable, Equatable {
  case lineStart, lineEnd, textStart, textEnd, textEndBeforeNewline, wordBoundary, notWordBoundary
}

struct RegexSyntaxError: Error, Equatable {
  let reason: String
}

struct RegexParser {
  /// A pattern this long, or repetitions this large, are refused: no tokenizer needs them, and they
  /// bound the compiled program.
  static let maximumPatternScalars = 10_000
  static let maximumRepeat = 100
  /// Lookahead bodies may match at most this many scalars, so checking one costs a bounded scan.
  static let maximumLookaheadLength = 64

  private let scalars: [Unicode.Scalar]
  private var position = 0
  private var depth = 0

  static func parse(_ pattern: String) throws(RegexSyntaxError) -> RegexNode {
    var parser = RegexParser(scalars: Array(pattern.unicodeScalars))
    guard parser.scalars.count <= maximumPatternScalars else {
      throw RegexSyntaxError(reason: "longer than \(maximumPatternScalars) characters")
    }
    let node = try parser.alternation(caseInsensitive: false)
    guard parser.position == parser.scalars.count else {
      throw RegexSyntaxError(reason: "unbalanced \")\" at character \(parser.position + 1)")
    }
    return node
  }

  private init(scalars: [Unicode.Scalar]) { self.scalars = scalars }

  private var atEnd: Bool { position >= scalars.count }
  private var current: Unicode.Scalar? { atEnd ? nil : scalars[position] }

  private func peek(_ offset: Int = 0) -> Unicode.Scalar? {
    position + offset < scalars.count ? scalars[position + offset] : nil
  }

  private mutating func alternation(caseInsensitive: Bool) throws(RegexSyntaxError) -> RegexNode {
    depth += 1
    defer { depth -= 1 }
    guard depth < 200 else { throw RegexSyntaxError(reason: "groups nested more than 200 deep") }
    var insensitive = caseInsensitive
    var options = [try concatenation(&insensitive)]
    while current == "|" {
      position += 1
      options.append(try concatenation(&insensitive))
    }
    return options.count == 1 ? options[0] : .alternation(options)
  }

  /// Items up to `|`, `)` or the end. `(?i)` switches case-insensitivity on for the rest of the group.
  private mutating func concatenation(_ caseInsensitive: inout Bool) throws(RegexSyntaxError) -> RegexNode {
    var items: [RegexNode] = []
    while let scalar = current, scalar != "|", scalar != ")" {
      if scalar == "(" && peek(1) == "?" && peek(2) == "i" && peek(3) == ")" {
        position += 4
        caseInsensitive = true
        continue
      }
      let atom = try self.atom(caseInsensitive: caseInsensitive)
      items.append(try quantified(atom))
    }
    return items.isEmpty ? .empty : items.count == 1 ? items[0] : .concatenation(items)
  }

  private mutating func quantified(_ atom: RegexNode) throws(RegexSyntaxError) -> RegexNode {
    var node = atom
    while let scalar = current {
      var bounds: (Int, Int?)
      switch scalar {
      case "*": bounds = (0, nil)
      case "+": bounds = (1, nil)
      case "?": bounds = (0, 1)
      case "{":
        guard let counted = try countedRepeat() else { return node }
        bounds = counted
        position -= 1  // countedRepeat left the position after "}"; the common step below adds it back
      default: return node
      }
      position += 1
      var greedy = true
      if current == "?" {
        greedy = false
        position += 1
      } else if current == "+" {
        throw RegexSyntaxError(reason: "possessive quantifiers are not supported")
      }
      if case .anchor = node { throw RegexSyntaxError(reason: "an anchor cannot be repeated") }
      node = .repetition(node, min: bounds.0, max: bounds.1, greedy: greedy)
    }
    return node
  }

  /// `{m}`, `{m,}`, `{m,n}`, `{,n}`; nil (and the position unchanged) when the brace is a literal,
  /// as Oniguruma reads "{", "{}" and "{,}".
  private mutating func countedRepeat() throws(RegexSyntaxError) -> (Int, Int?)? {
    var index = position + 1
    func number() -> Int? {
      var value: Int?
      while index < scalars.count, let digit = scalars[index].asciiDigit {
        value = min((value ?? 0) * 10 + digit, 1_000_000)
        index += 1
      }
      return value
    }
    let low = number()
    var high = low
    var hasComma = false
    if index < scalars.count, scalars[index] == "," {
      hasComma = true
      index += 1
      high = number()
    }
    guard index < scalars.count, scalars[index] == "}", low != nil || high != nil else { return nil }
    let minimum = low ?? 0
    let maximum = hasComma ? high : low
    guard minimum <= Self.maximumRepeat, (maximum ?? 0) <= Self.maximumRepeat else {
      throw RegexSyntaxError(reason: "a repetition count above \(Self.maximumRepeat)")
    }
    if let maximum, maximum < minimum {
      throw RegexSyntaxError(
        reason: "a repetition {\(minimum),\(maximum)} whose maximum is below its minimum")
    }
    position = index + 1
    return (minimum, maximum)
  }

  private mutating func atom(caseInsensitive: Bool) throws(RegexSyntaxError) -> RegexNode {
    let scalar = scalars[position]
    position += 1
    switch scalar {
    case "(": return try group(caseInsensitive: caseInsensitive)
    case "[": return .scalars(try bracket(caseInsensitive: caseInsensitive))
    case ".": return .scalars(ScalarClass(ranges: [0x0A...0x0A], negated: true))
    case "^": return .anchor(.lineStart)
    case "$": return .anchor(.lineEnd)
    case "\\": return try escape(caseInsensitive: caseInsensitive, inBracket: false)
    case "*", "+", "?":
      throw RegexSyntaxError(reason: "nothing to repeat before \"\(scalar)\" at character \(position)")
    default:
      var item = ScalarClass.scalar(scalar.value)
      item.caseInsensitive = caseInsensitive
      return .scalars(item)
    }
  }

  private mutating func group(caseInsensitive: Bool) throws(RegexSyntaxError) -> RegexNode {
    var insensitive = caseInsensitive
    var lookahead: Bool?
    if current == "?" {
      position += 1
      switch current {
      case ":": position += 1
      case "=", "!":
        lookahead = current == "!"
        position += 1
      case "i" where peek(1) == ":":
        insensitive = true
        position += 2
      case "-" where peek(1) == "i" && peek(2) == ":":
        insensitive = false
        position += 3
      case "<" where peek(1) != "=" && peek(1) != "!", "P" where peek(1) == "<":
        // A named group matches as a plain one; names are never referred to (no backreferences).
        guard let close = scalars[position...].firstIndex(of: ">") else {
          throw RegexSyntaxError(reason: "an unterminated group name")
        }
        position = close + 1
      default:
        let what = peek() == "<" ? "lookbehind" : "the group syntax \"(?\(peek().map(String.init) ?? "")\""
        throw RegexSyntaxError(reason: "\(what) is not supported")
      }
    }
    let body = try alternation(caseInsensitive: insensitive)
    guard current == ")" else { throw RegexSyntaxError(reason: "a group is not closed") }
    position += 1
    guard let negated = lookahead else { return body }
    guard let longest = body.lengthBounds.max, longest <= Self.maximumLookaheadLength else {
      throw RegexSyntaxError(
        reason: "a lookahead that can match more than \(Self.maximumLookaheadLength) characters")
    }
    return .lookahead(body, negated: negated)
  }

  /// After "[": items up to the closing "]".
  private mutating func bracket(caseInsensitive: Bool) throws(RegexSyntaxError) -> ScalarClass {
    var result = ScalarClass(caseInsensitive: caseInsensitive)
    if current == "^" {
      result.negated = true
      position += 1
    }
    var first = true
    while true {
      guard let scalar = current else { throw RegexSyntaxError(reason: "a bracket expression is not closed") }
      if scalar == "]" && !first {
        position += 1
        return result
      }
      first = false
      if scalar == "[" {
        throw RegexSyntaxError(reason: "nested brackets and POSIX classes are not supported")
      }
      if scalar == "&" && peek(1) == "&" {
        throw RegexSyntaxError(reason: "class intersection (&&) is not supported")
      }
      position += 1
      var low: UInt32
      if scalar == "\\" {
        guard case .scalars(let item) = try escape(caseInsensitive: false, inBracket: true) else {
          throw RegexSyntaxError(reason: "an escape that is not a character inside brackets")
        }
        guard item.ranges.count == 1, item.mask == 0, item.excludedMasks.isEmpty, !item.negated,
          item.ranges[0].lowerBound == item.ranges[0].upperBound
        else {
          merge(item, into: &result)
          continue
        }
        low = item.ranges[0].lowerBound
      } else {
        low = scalar.value
      }
      if current == "-", let next = peek(1), next != "]" {
        position += 1
        var high = next.value
        position += 1
        if next == "\\" {
          guard case .scalars(let item) = try escape(caseInsensitive: false, inBracket: true),
            item.ranges.count == 1, item.mask == 0, item.ranges[0].count == 1
          else { throw RegexSyntaxError(reason: "a range that ends in a class") }
          high = item.ranges[0].lowerBound
        }
        guard low <= high else { throw RegexSyntaxError(reason: "a range whose end comes before its start") }
        result.ranges.append(low...high)
      } else {
        result.ranges.append(low...low)
      }
    }
  }

  /// A class item (\s, \p{L}, \S …) added to a bracket expression; "not this property" (\S, \P{L})
  /// is kept as its own alternative.
  private func merge(_ item: ScalarClass, into result: inout ScalarClass) {
    if item.negated {
      result.excludedMasks.append(item.mask)
    } else {
      result.ranges += item.ranges
      result.mask |= item.mask
    }
  }

  private mutating func escape(caseInsensitive: Bool, inBracket: Bool) throws(RegexSyntaxError) -> RegexNode {
    guard let scalar = current else { throw RegexSyntaxError(reason: "a pattern that ends in \"\\\"") }
    position += 1
    func single(_ value: UInt32) -> RegexNode {
      var item = ScalarClass.scalar(value)
      item.caseInsensitive = caseInsensitive
      return .scalars(item)
    }
    switch scalar {
    case "s": return .scalars(ScalarClass(mask: ScalarTraits.whiteSpace))
    case "S": return .scalars(ScalarClass(mask: ScalarTraits.whiteSpace, negated: true))
    case "d": return .scalars(ScalarClass(mask: ScalarTraits.bit(.decimalNumber)))
    case "D": return .scalars(ScalarClass(mask: ScalarTraits.bit(.decimalNumber), negated: true))
    case "w": return .scalars(ScalarClass(mask: ScalarTraits.word))
    case "W": return .scalars(ScalarClass(mask: ScalarTraits.word, negated: true))
    case "h": return .scalars(ScalarClass(ranges: [0x30...0x39, 0x41...0x46, 0x61...0x66]))
    case "H":
      if inBracket { throw RegexSyntaxError(reason: "\\H inside brackets is not supported") }
      return .scalars(ScalarClass(ranges: [0x30...0x39, 0x41...0x46, 0x61...0x66], negated: true))
    case "p", "P": return .scalars(try property(negated: scalar == "P"))
    case "n": return single(0x0A)
    case "r": return single(0x0D)
    case "t": return single(0x09)
    case "f": return single(0x0C)
    case "v": return single(0x0B)
    case "a": return single(0x07)
    case "e": return single(0x1B)
    case "0": return single(0)
    case "x": return single(try hexadecimal(braced: current == "{", digits: 2))
    case "u": return single(try hexadecimal(braced: false, digits: 4))
    case "A" where !inBracket: return .anchor(.textStart)
    case "z" where !inBracket: return .anchor(.textEnd)
    case "Z" where !inBracket: return .anchor(.textEndBeforeNewline)
    case "b" where !inBracket: return .anchor(.wordBoundary)
    case "B" where !inBracket: return .anchor(.notWordBoundary)
    default:
      if scalar.properties.isAlphabetic || scalar.properties.numericType != nil {
        throw RegexSyntaxError(reason: "the escape \"\\\(scalar)\" is not supported")
      }
      return single(scalar.value)
    }
  }

  private mutating func property(negated: Bool) throws(RegexSyntaxError) -> ScalarClass {
    guard current == "{", let close = scalars[position...].firstIndex(of: "}") else {
      throw RegexSyntaxError(reason: "\\p needs a name in braces")
    }
    var name = String(String.UnicodeScalarView(scalars[(position + 1)..<close]))
    position = close + 1
    var negate = negated
    if name.hasPrefix("^") {
      negate.toggle()
      name.removeFirst()
    }
    guard let mask = ScalarTraits.property(name) else {
      throw RegexSyntaxError(reason: "the Unicode property \\p{\(name)} is not supported")
    }
    return ScalarClass(mask: mask, negated: negate)
  }

  private mutating func hexadecimal(braced: Bool, digits: Int) throws(RegexSyntaxError) -> UInt32 {
    var text = ""
    if braced {
      guard let close = scalars[position...].firstIndex(of: "}") else {
        throw RegexSyntaxError(reason: "an unterminated \\x{…}")
      }
      text = String(String.UnicodeScalarView(scalars[(position + 1)..<close]))
      position = close + 1
    } else {
      while text.count < digits, let scalar = current, scalar.properties.isASCIIHexDigit {
        text.unicodeScalars.append(scalar)
        position += 1
      }
    }
    guard !text.isEmpty, text.count <= 8, let value = UInt32(text, radix: 16), Unicode.Scalar(value) != nil
    else {
      throw RegexSyntaxError(reason: "a bad hexadecimal escape")
    }
    return value
  }
}

extension Unicode.Scalar {
  /// 0–9 for the ASCII digits, else nil.
  var asciiDigit: Int? { (0x30...0x39).contains(value) ? Int(value - 0x30) : nil }
}
