// Runs a `RegexProgram` over text as Oniguruma's search does for `tokenizers`: leftmost-first
// matches, one after another (onig::Regex::find_iter: an empty match right after the previous match
// is skipped by one character), and `findMatches`, the pieces of the text tagged match / not match
// (tokenizers/src/tokenizer/pattern.rs).
//
// Bounded: one search costs at most (instructions × scalars scanned); a lookahead costs at most its
// 64-scalar bound. Real patterns scan each scalar a small number of times, but a pattern such as
// `a*b|a` can make each search rescan the rest of the text (quadratic), so every call gets a budget
// of steps proportional to the text and the program; past it the rest of the text is left as one
// unmatched piece. A pattern that needs that many steps would take the reference engine at least as
// long (Oniguruma backtracks), so no real tokenizer's ids are affected.
// Measured (swiftc -O, 2026-12-01, this shared 2-core machine): the Llama 3 pattern over 1 MB of
// mixed text 0.8 s, 1 MB of one letter 0.27 s, 1 MB of spaces 0.62 s; whole Llama 3 pipeline over
// 1 MB of mixed text 1.8 s, Llama 2 0.45 s. (Before ASCII bitmaps and lists moved rather than
// copied per search: 4.7 s for the mixed megabyte.)

/// The scalars of a text with their class masks, computed once per text.
struct RegexInput {
  let scalars: [Unicode.Scalar]
  let traits: [UInt64]

  init(_ scalars: [Unicode.Scalar]) {
    self.scalars = scalars
    self.traits = scalars.map(ScalarTraits.mask)
  }

  var count: Int { scalars.count }

  func isWord(_ index: Int) -> Bool {
    index >= 0 && index < count && traits[index] & ScalarTraits.word != 0
  }
}

struct RegexMatcher: Sendable {
  let program: RegexProgram

  init(pattern: String) throws(RegexSyntaxError) {
    program = try RegexProgram(try RegexParser.parse(pattern))
  }

  /// Steps allowed per call, per scalar of text and instruction of the program.
  static let stepsPerScalarAndInstruction = 8
  /// Steps every call may take whatever its length, so short texts may be quadratic (under a
  /// millisecond in a release build), as they are in the reference engine.
  static let minimumSteps = 1_000_000

  /// The pieces of `input` as (range of scalar offsets, is a match), covering it in order; empty
  /// text gives one empty unmatched piece, as `tokenizers` does.
  func findMatches(_ input: RegexInput) -> [(range: Range<Int>, isMatch: Bool)] {
    guard input.count > 0 else { return [(0..<0, false)] }
    var budget =
      Self.stepsPerScalarAndInstruction * (input.count + 1) * program.instructions.count + Self.minimumSteps
    var pieces: [(range: Range<Int>, isMatch: Bool)] = []
    var previous = 0
    var searchFrom = 0
    var lastMatchEnd: Int?
    var workspace = Workspace(program)
    while searchFrom <= input.count {
      guard let found = firstMatch(input, from: searchFrom, budget: &budget, &workspace) else { break }
      if found.isEmpty && lastMatchEnd == found.upperBound {
        searchFrom = found.upperBound + 1
        continue
      }
      if previous != found.lowerBound { pieces.append((previous..<found.lowerBound, false)) }
      pieces.append((found, true))
      previous = found.upperBound
      searchFrom = found.upperBound
      lastMatchEnd = found.upperBound
    }
    if previous != input.count { pieces.append((previous..<input.count, false)) }
    return pieces
  }

  /// The leftmost-first match starting at or after `start`; nil when there is none or the budget ran out.
  func firstMatch(_ input: RegexInput, from start: Int, budget: inout Int, _ workspace: inout Workspace)
    -> Range<Int>?
  {
    // Moved out and back (not copied), so the lists are never copied on write.
    var current = ThreadList(size: 0)
    var next = ThreadList(size: 0)
    var stack: [Int] = []
    var nested: [Workspace] = []
    swap(&current, &workspace.current)
    swap(&next, &workspace.next)
    swap(&stack, &workspace.stack)
    swap(&nested, &workspace.lookaheads)
    defer {
      swap(&current, &workspace.current)
      swap(&next, &workspace.next)
      swap(&stack, &workspace.stack)
      swap(&nested, &workspace.lookaheads)
    }
    var matched: Range<Int>?
    var position = start
    current.reset()
    while budget > 0 {
      if matched == nil {
        addThread(&current, pc: 0, start: position, at: position, input, &stack, &nested, &budget)
      }
      if current.count == 0 {
        // Nothing alive: done if a match was found, else try the next start position.
        if matched != nil || position >= input.count { break }
        position += 1
        current.reset()
        budget -= 1
        continue
      }
      next.reset()
      budget -= current.count
      var index = 0
      while index < current.count {
        let pc = current.pcs[index]
        let threadStart = current.starts[index]
        index += 1
        switch program.instructions[pc] {
        case .match:
          matched = threadStart..<position
          index = current.count  // every lower-priority thread is cut
        case .scalars(let k):
          if position < input.count, program.test(k, input, position) {
            addThread(
              &next, pc: pc + 1, start: threadStart, at: position + 1, input, &stack, &nested, &budget)
          }
        default: break
        }
      }
      if position >= input.count { break }
      swap(&current, &next)
      position += 1
    }
    return budget > 0 ? matched : nil
  }

  /// Follows jumps, splits and assertions from `pc` at `position`, in priority order, adding the
  /// threads that wait for a scalar (or have matched) to `list`. `lookaheads`: the workspaces of
  /// the program's lookaheads, one each.
  private func addThread(
    _ list: inout ThreadList, pc: Int, start: Int, at position: Int, _ input: RegexInput,
    _ stack: inout [Int], _ lookaheads: inout [Workspace], _ budget: inout Int
  ) {
    stack.removeAll(keepingCapacity: true)
    stack.append(pc)
    while let pc = stack.popLast() {
      guard list.mark(pc) else { continue }
      budget -= 1
      switch program.instructions[pc] {
      case .jump(let target): stack.append(target)
      case .split(let first, let second):
        stack.append(second)
        stack.append(first)
      case .anchor(let anchor):
        if holds(anchor, at: position, input) { stack.append(pc + 1) }
      case .lookahead(let index, let negated):
        if program.lookaheads[index].matchesAnchored(input, at: position, &lookaheads[index]) != negated {
          stack.append(pc + 1)
        }
      case .scalars, .match: list.append(pc, start)
      }
    }
  }

  private func holds(_ anchor: RegexAnchor, at position: Int, _ input: RegexInput) -> Bool {
    let newline: Unicode.Scalar = "\n"
    switch anchor {
    case .textStart: return position == 0
    case .textEnd: return position == input.count
    case .textEndBeforeNewline:
      return position == input.count || (position == input.count - 1 && input.scalars[position] == newline)
    case .lineStart: return position == 0 || input.scalars[position - 1] == newline
    case .lineEnd: return position == input.count || input.scalars[position] == newline
    case .wordBoundary: return input.isWord(position - 1) != input.isWord(position)
    case .notWordBoundary: return input.isWord(position - 1) == input.isWord(position)
    }
  }
}

/// The thread lists of one search, reused from search to search, and those of each lookahead
/// (reused from position to position: allocating them for every lookahead test was most of the
/// allocations of a pattern such as `\s+(?!\S)`).
struct Workspace {
  var current: ThreadList
  var next: ThreadList
  var stack: [Int]
  var lookaheads: [Workspace]

  init(_ program: RegexProgram) {
    current = ThreadList(size: program.instructions.count)
    next = ThreadList(size: program.instructions.count)
    stack = []
    lookaheads = program.lookaheads.map(Workspace.init)
  }

  /// An empty one, to move a workspace's parts out and back.
  init() {
    current = ThreadList(size: 0)
    next = ThreadList(size: 0)
    stack = []
    lookaheads = []
  }
}

extension RegexProgram {
  /// Whether the program matches some text starting exactly at `position` (lookahead bodies: their
  /// length is bounded, so this scans at most 64 scalars). One class, as in `(?!\S)`, is one test.
  /// `workspace`: this program's, `Workspace(self)`.
  func matchesAnchored(_ input: RegexInput, at position: Int, _ workspace: inout Workspace) -> Bool {
    if instructions.count == 2, case .scalars(let k) = instructions[0] {
      return position < input.count && test(k, input, position)
    }
    // Moved out and back, as in `firstMatch`.
    var parts = Workspace()
    swap(&parts, &workspace)
    defer { swap(&parts, &workspace) }
    let matcher = RegexMatcher(program: self)
    var budget = Int.max
    var here = position
    parts.current.reset()
    matcher.addThreadForLookahead(&parts.current, at: here, input, &parts.stack, &parts.lookaheads, &budget)
    while parts.current.count > 0 {
      parts.next.reset()
      for index in 0..<parts.current.count {
        let pc = parts.current.pcs[index]
        switch instructions[pc] {
        case .match: return true
        case .scalars(let k):
          if here < input.count, test(k, input, here) {
            matcher.addThreadForLookahead(
              &parts.next, pc: pc + 1, at: here + 1, input, &parts.stack, &parts.lookaheads, &budget)
          }
        default: break
        }
      }
      swap(&parts.current, &parts.next)
      here += 1
    }
    return false
  }
}

extension RegexMatcher {
  fileprivate init(program: RegexProgram) { self.program = program }

  fileprivate func addThreadForLookahead(
    _ list: inout ThreadList, pc: Int = 0, at position: Int, _ input: RegexInput, _ stack: inout [Int],
    _ lookaheads: inout [Workspace], _ budget: inout Int
  ) {
    addThread(&list, pc: pc, start: position, at: position, input, &stack, &lookaheads, &budget)
  }
}

/// The threads at one input position, each pc at most once (the first, highest-priority one wins).
struct ThreadList {
  private(set) var pcs: [Int]
  private(set) var starts: [Int]
  private(set) var count = 0
  private var stamps: [Int]
  private var generation = 0

  init(size: Int) {
    pcs = Array(repeating: 0, count: size)
    starts = Array(repeating: 0, count: size)
    stamps = Array(repeating: -1, count: size)
  }

  mutating func reset() {
    count = 0
    generation += 1
  }

  /// False when `pc` was already visited at this position.
  mutating func mark(_ pc: Int) -> Bool {
    if stamps[pc] == generation { return false }
    stamps[pc] = generation
    return true
  }

  mutating func append(_ pc: Int, _ start: Int) {
    pcs[count] = pc
    starts[count] = start
    count += 1
  }
}
