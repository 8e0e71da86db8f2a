// A vocabulary file (one token per line, line number = id) with the four specials at ids 0–3.
import FileInput
import Foundation

public struct TokenizationError: Error, CustomStringConvertible, Equatable {
  public let description: String
  public init(_ description: String) { self.description = description }
}

public struct Vocabulary: Sendable, Equatable {
  public static let startID = 1
  public static let endID = 2
  public static let unknownID = 3
  public static let specials = ["<pad>", "<s>", "</s>", "<unk>"]

  public let tokens: [String]
  private let ids: [String: Int]

  /// `fileName` names the source in error messages.
  public init(tokens: [String], fileName: String = "vocabulary") throws(TokenizationError) {
    guard tokens.count > Vocabulary.specials.count else {
      throw TokenizationError("\(fileName): needs the 4 special tokens and at least one more")
    }
    guard Array(tokens.prefix(4)) == Vocabulary.specials else {
      throw TokenizationError(
        "\(fileName): the first lines must be \(Vocabulary.specials.joined(separator: " "))")
    }
    var ids: [String: Int] = [:]
    for (id, token) in tokens.enumerated() {
      if token.isEmpty { throw TokenizationError("\(fileName): line \(id + 1) is empty") }
      if ids[token] != nil {
        throw TokenizationError("\(fileName): line \(id + 1) repeats the token \"\(token)\"")
      }
      ids[token] = id
    }
    self.tokens = tokens
    self.ids = ids
  }

  /// Reads a UTF-8 vocabulary file; a trailing newline is allowed.
  public static func load(path: String) throws(TokenizationError) -> Vocabulary {
    let name = (path as NSString).lastPathComponent
    let bytes: [UInt8]
    do { bytes = try InputFile.read(path, limit: InputFile.Limit.tokenizer) } catch {
      throw TokenizationError("\(name): cannot read \(path)\(error.suffix)")
    }
    return try parse(bytes, fileName: name)
  }

  /// Parses the bytes of a vocabulary file (UTF-8, one token per line, trailing newline allowed).
  public static func parse(_ bytes: [UInt8], fileName name: String) throws(TokenizationError) -> Vocabulary {
    guard let text = String(validating: bytes, as: UTF8.self) else {
      throw TokenizationError("\(name): not valid UTF-8")
    }
    var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map {
      String($0.hasSuffix("\r") ? $0.dropLast() : $0)
    }
    if lines.last == "" { lines.removeLast() }
    return try Vocabulary(tokens: lines, fileName: name)
  }

  /// Another model's vocabulary in its own id order (a Hugging Face tokenizer's pieces): no special
  /// tokens at 0–3 required; a piece that repeats (as a Swift string) keeps its first id.
  public init(pieces tokens: [String]) {
    var ids: [String: Int] = [:]
    for (id, token) in tokens.enumerated() where ids[token] == nil { ids[token] = id }
    self.tokens = tokens
    self.ids = ids
  }

  public var count: Int { tokens.count }
  public func id(of token: String) -> Int? { ids[token] }
  public func token(of id: Int) -> String { tokens.indices.contains(id) ? tokens[id] : "<\(id)?>" }
}
