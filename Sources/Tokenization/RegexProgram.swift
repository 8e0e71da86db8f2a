// A parsed pattern compiled to instructions for `RegexMatcher`, a Pike VM (Thompson's construction
// with prioritised threads, after Russ Cox, "Regular Expression Matching: the Virtual Machine
// Approach", 2009). The split instructions keep the order a backtracking engine tries things in, so
// the match found is the one Oniguruma finds (leftmost, then first alternative / greedy first),
// while the time stays linear in the input: every instruction runs at most once per input position.
//
// Why not NSRegularExpression: ICU backtracks (a stranger's `(a*)*b` takes exponential time and
// there is no time limit through Foundation), Linux bridges every match through NSString and UTF-16
// offsets, and its Unicode data is ICU's rather than the Swift scalar properties the rest of this
// module uses. This engine is linear for every pattern it accepts and matches Oniguruma on 820
// pattern × text cases (Fixtures/llm-regex); its speed on the Llama 3 pattern is in RegexMatcher.swift.

struct RegexProgram: Sendable {
  enum Instruction: Sendable, Equatable {
    /// Consume one scalar of class `classes[index]`.
    case scalars(Int)
    /// Try `first`, then `second` (the order is the priority).
    case split(Int, Int)
    case jump(Int)
    case anchor(RegexAnchor)
    /// Continue only if `lookaheads[index]` matches here (or, negated, does not).
    case lookahead(Int, negated: Bool)
    case match
  }

  /// Programs larger than this are refused (x{100}{100} would be ten thousand instructions; the
  /// Llama 3 pattern compiles to about 60).
  static let maximumInstructions = 5_000

  private(set) var instructions: [Instruction] = []
  private(set) var classes: [ScalarClass] = []
  private(set) var lookaheads: [RegexProgram] = []
  /// Per class, its answers for ASCII scalars (bit v of word v / 64).
  private(set) var asciiLow: [UInt64] = []
  private(set) var asciiHigh: [UInt64] = []
  /// Each class's index in `classes` while compiling (a linear search made compiling 5,000
  /// distinct literals quadratic); emptied once the program is built.
  private var classIndex: [ScalarClass: Int] = [:]

  init(_ node: RegexNode) throws(RegexSyntaxError) {
    try emit(node)
    instructions.append(.match)
    classIndex = [:]
    for item in classes {
      let bitmap = item.asciiBitmap
      asciiLow.append(bitmap.0)
      asciiHigh.append(bitmap.1)
    }
  }

  /// Whether the scalar at `index` of `input` is in class `k`: a bit test for ASCII.
  @inline(__always)
  func test(_ k: Int, _ input: RegexInput, _ index: Int) -> Bool {
    let value = input.scalars[index].value
    if value < 64 { return asciiLow[k] >> UInt64(value) & 1 == 1 }
    if value < 128 { return asciiHigh[k] >> UInt64(value - 64) & 1 == 1 }
    return classes[k].matches(input.scalars[index], traits: input.traits[index])
  }

  private mutating func append(_ instruction: Instruction) throws(RegexSyntaxError) {
    guard instructions.count < Self.maximumInstructions else {
      throw RegexSyntaxError(reason: "too large once its repetitions are expanded")
    }
    instructions.append(instruction)
  }

  /// A placeholder to patch once the target is known.
  private mutating func hole() throws(RegexSyntaxError) -> Int {
    try append(.jump(-1))
    return instructions.count - 1
  }

  private mutating func emit(_ node: RegexNode) throws(RegexSyntaxError) {
    switch node {
    case .empty: break
    case .scalars(let item):
      if let index = classIndex[item] {
        try append(.scalars(index))
      } else {
        classIndex[item] = classes.count
        classes.append(item)
        try append(.scalars(classes.count - 1))
      }
    case .anchor(let anchor): try append(.anchor(anchor))
    case .concatenation(let parts):
      for part in parts { try emit(part) }
    case .alternation(let options):
      var exits: [Int] = []
      for option in options.dropLast() {
        let split = try hole()
        try emit(option)
        exits.append(try hole())
        instructions[split] = .split(split + 1, instructions.count)
      }
      try emit(options[options.count - 1])
      for exit in exits { instructions[exit] = .jump(instructions.count) }
    case .repetition(let body, let min, let max, let greedy):
      for _ in 0..<min { try emit(body) }
      if let max {
        // (body (body …)?)?: every optional copy may leave for the end.
        var exits: [Int] = []
        for _ in min..<max {
          exits.append(try hole())
          try emit(body)
        }
        for exit in exits {
          instructions[exit] =
            greedy ? .split(exit + 1, instructions.count) : .split(instructions.count, exit + 1)
        }
      } else {
        let loop = try hole()
        try emit(body)
        try append(.jump(loop))
        instructions[loop] =
          greedy ? .split(loop + 1, instructions.count) : .split(instructions.count, loop + 1)
      }
    case .lookahead(let body, let negated):
      lookaheads.append(try RegexProgram(body))
      try append(.lookahead(lookaheads.count - 1, negated: negated))
    }
  }
}
