// `/` on the attention screen: jump to a token by typing part of it, as less's and vim's `/` do.
// The search ignores case and the word markers tokenizers put in front of tokens (SentencePiece's
// "▁", byte-level BPE's "Ġ", WordPiece's "##"), and continues after the cursor, wrapping around.
import Foundation

enum TokenSearch {
  /// The next label after `start` (wrapping, `start` itself last) that contains `text`.
  static func next(_ labels: [String], containing text: String, after start: Int) -> Int? {
    let needle = normalised(text)
    guard !needle.isEmpty, !labels.isEmpty else { return nil }
    for offset in 1...labels.count {
      let index = (start + offset) % labels.count
      if normalised(labels[index]).contains(needle) { return index }
    }
    return nil
  }

  static func normalised(_ label: String) -> String {
    let text = label.lowercased()
    // Most labels carry no marker: the Foundation replacements run only for those that do.
    guard text.contains("▁") || text.contains("ġ") || text.contains("#") else { return text }
    var cleaned = text
    for marker in ["▁", "ġ", "##"] { cleaned = cleaned.replacingOccurrences(of: marker, with: "") }
    return cleaned
  }
}

extension AppState {
  /// Moves the cursor's row to the next query and its column to the next key containing `text`
  /// (each axis on its own: a cross-attention's queries and keys are different sentences), and
  /// says where it landed, with exact positions.
  mutating func findToken(_ text: String) {
    guard let entry = layerLayout else { return }  // labels only: nothing is computed
    let row = TokenSearch.next(entry.queries, containing: text, after: cursorRow)
    let firstKey = selections.hidesSink && entry.keys.count > 1 ? 1 : 0
    let shownKeys = Array(entry.keys.dropFirst(firstKey))
    let column = TokenSearch.next(shownKeys, containing: text, after: cursorColumn - firstKey).map {
      $0 + firstKey
    }
    guard row != nil || column != nil else {
      notice = "no token contains '\(text)'"
      return
    }
    var found: [String] = []
    if let row {
      cursorRow = row
      found.append("query \(row + 1)/\(entry.queries.count) '\(entry.queries[row])'")
    }
    if let column {
      cursorColumn = column
      found.append("key \(column + 1)/\(entry.keys.count) '\(entry.keys[column])'")
    }
    notice = "found '\(text)': " + found.joined(separator: ", ")
  }
}
