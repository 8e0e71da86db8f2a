// Splits text around special tokens typed into it ("the [MASK] sat", "a</s>b") so they stay single
// tokens, as `transformers`' added-token trie (`PreTrainedTokenizer.tokenize`) and the `tokenizers`
// AddedVocabulary (aho-corasick, `MatchKind::LeftmostLongest`) do: leftmost match first, the longest
// token where several start at one place.
//
// The tokens are kept sorted byte-wise in one flat buffer; the tokens that start with the text at a
// position form one contiguous range, narrowed byte by byte with two binary searches. So a position
// costs O(depth · log n) however many tokens there are (a tokenizer.json may list 10^6), never one
// comparison per token, and the memory is the tokens' bytes once.

import Foundation

struct AddedTokenSplitter: Sendable {
  enum Segment: Equatable {
    case text(String)
    case special(String)
  }

  /// Every token's bytes, back to back, in byte-wise order.
  private let bytes: [UInt8]
  /// `starts[i]..<starts[i + 1]` is token i in `bytes`.
  private let starts: [Int]
  /// Tokens whose first byte is b: `firstByte[b]..<firstByte[b + 1]`.
  private let firstByte: [Int]

  init(tokens: [String]) {
    // All tokens back to back, then their order sorted with memcmp and duplicates dropped: with
    // 10^6 tokens, sorting a million small arrays (and hashing them into a Set) took most of a load.
    var all: [UInt8] = []
    var bounds = [0]
    for token in tokens where !token.isEmpty {
      all.append(contentsOf: token.utf8)
      bounds.append(all.count)
    }
    let order = all.withUnsafeBufferPointer { bytes in
      bounds.withUnsafeBufferPointer { bounds in
        func compare(_ a: Int, _ b: Int) -> Int {
          let (lengthA, lengthB) = (bounds[a + 1] - bounds[a], bounds[b + 1] - bounds[b])
          let common = memcmp(
            bytes.baseAddress! + bounds[a], bytes.baseAddress! + bounds[b], min(lengthA, lengthB))
          return common != 0 ? Int(common) : lengthA - lengthB
        }
        var order = Array(0..<(bounds.count - 1))
        order.sort { compare($0, $1) < 0 }
        var unique: [Int] = []
        unique.reserveCapacity(order.count)
        for index in order where unique.last.map({ compare($0, index) != 0 }) ?? true { unique.append(index) }
        return unique
      }
    }
    var bytes: [UInt8] = []
    bytes.reserveCapacity(all.count)
    var starts = [0]
    starts.reserveCapacity(order.count + 1)
    var firstByte = Array(repeating: order.count, count: 257)
    for (rank, index) in order.enumerated() {
      let first = Int(all[bounds[index]])
      if firstByte[first] == order.count { firstByte[first] = rank }
      bytes.append(contentsOf: all[bounds[index]..<bounds[index + 1]])
      starts.append(bytes.count)
    }
    // A byte no token starts with gets the next byte's start, so each range is firstByte[b]..<[b + 1].
    for byte in stride(from: 255, through: 0, by: -1) where firstByte[byte] > firstByte[byte + 1] {
      firstByte[byte] = firstByte[byte + 1]
    }
    self.bytes = bytes
    self.starts = starts
    self.firstByte = firstByte
  }

  private var count: Int { starts.count - 1 }

  func split(_ text: String) -> [Segment] {
    guard count > 0 else { return text.isEmpty ? [] : [.text(text)] }
    let input = Array(text.utf8)
    var segments: [Segment] = []
    var textStart = 0
    var position = 0
    while position < input.count {
      // Special tokens are whole UTF-8 strings, so a match can only begin at a scalar boundary.
      if let length = longestMatch(input, at: position) {
        if textStart < position {
          segments.append(.text(String(decoding: input[textStart..<position], as: UTF8.self)))
        }
        segments.append(.special(String(decoding: input[position..<(position + length)], as: UTF8.self)))
        position += length
        textStart = position
      } else {
        position += 1
      }
    }
    if textStart < input.count {
      segments.append(.text(String(decoding: input[textStart...], as: UTF8.self)))
    }
    return segments
  }

  /// Leftmost-longest, non-overlapping matches over `input` (aho-corasick's LeftmostLongest
  /// `find_iter`, as the `tokenizers` AddedVocabulary runs it), as byte ranges.
  func matches(_ input: [UInt8]) -> [Range<Int>] {
    guard count > 0 else { return [] }
    var found: [Range<Int>] = []
    var position = 0
    while position < input.count {
      if let length = longestMatch(input, at: position) {
        found.append(position..<(position + length))
        position += length
      } else {
        position += 1
      }
    }
    return found
  }

  /// The byte length of the longest token that `input` continues with at `position`, if any.
  private func longestMatch(_ input: [UInt8], at position: Int) -> Int? {
    // Invariant: [low, high) are the tokens whose first `depth` bytes equal the input's.
    var low = firstByte[Int(input[position])]
    var high = firstByte[Int(input[position]) + 1]
    var depth = 1
    var best: Int?
    while low < high {
      // A token equal to the prefix itself sorts before every longer one sharing it.
      if length(low) == depth {
        best = depth
        low += 1
      }
      guard low < high, position + depth < input.count else { break }
      let byte = input[position + depth]
      // Every token left is longer than `depth`, so byte `depth` exists.
      low = partition(low, high) { self.byte($0, depth) >= byte }
      high = partition(low, high) { self.byte($0, depth) > byte }
      depth += 1
    }
    return best
  }

  private func length(_ token: Int) -> Int { starts[token + 1] - starts[token] }
  private func byte(_ token: Int, _ offset: Int) -> UInt8 { bytes[starts[token] + offset] }

  /// The first index in `low..<high` where `isAfter` holds (it is false, then true, over the range).
  private func partition(_ low: Int, _ high: Int, _ isAfter: (Int) -> Bool) -> Int {
    var low = low
    var high = high
    while low < high {
      let middle = low + (high - low) / 2
      if isAfter(middle) { high = middle } else { low = middle + 1 }
    }
    return low
  }
}
