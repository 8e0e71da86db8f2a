// `attention --format json` written as it goes: byte for byte what JSONEncoder (.sortedKeys) makes
// of the whole trace, with the unsafe code points escaped as the CLI's Output.json escapes them,
// but produced one row at a time and one entry computed at a time, so memory stays at one entry
// whatever the input's length (the whole-trace encoder needed 12.6 GB for GPT-2 at 1,024 tokens).
import Foundation
import Render
import Trace

/// Bytes gathered into chunks of about `capacity` and handed to `sink` (a file, stdout, a test).
public struct ChunkWriter {
  var buffer: [UInt8] = []
  let capacity: Int
  let sink: ([UInt8]) throws -> Void

  public init(capacity: Int = 1 << 20, sink: @escaping ([UInt8]) throws -> Void) {
    self.capacity = capacity
    self.sink = sink
    buffer.reserveCapacity(capacity)
  }

  public mutating func append(_ text: String) throws {
    buffer.append(contentsOf: text.utf8)
    if buffer.count >= capacity { try flush() }
  }

  mutating func append(bytes: [UInt8]) throws {
    buffer.append(contentsOf: bytes)
    if buffer.count >= capacity { try flush() }
  }

  /// Hands over what is left; call once at the end.
  public mutating func finish() throws { try flush() }

  mutating func flush() throws {
    guard !buffer.isEmpty else { return }
    try sink(buffer)
    buffer.removeAll(keepingCapacity: true)
  }
}

extension TraceExport {
  /// The trace's JSON (as `JSONEncoder` with `.sortedKeys` encodes `AttentionTrace`, then
  /// `TerminalText.escapingUnsafe`), written row by row. Keys in sorted order: attention, model,
  /// tokens; in an entry heads, keys, kind, kv_heads, layer, queries, scores, stack, vectors, weights.
  public static func writeJSON(_ trace: AttentionTrace, to output: inout ChunkWriter) throws {
    let text = JSONText()
    try output.append("{\"attention\":[")
    for index in 0..<trace.entryCount {
      if index > 0 { try output.append(",") }
      try writeEntry(trace.entry(at: index), to: &output, text: text)
    }
    try output.append("],\"model\":")
    try output.append(bytes: text.string(trace.model))
    try output.append(",\"tokens\":")
    try output.append(bytes: text.encoded(trace.tokens))
    try output.append("}")
  }

  static func writeEntry(_ entry: AttentionEntry, to output: inout ChunkWriter, text: JSONText) throws {
    let (nq, nk) = (entry.queries.count, entry.keys.count)
    try output.append("{\"heads\":\(entry.heads),\"keys\":")
    try output.append(bytes: text.encoded(entry.keys))
    try output.append(",\"kind\":")
    try output.append(bytes: text.string(entry.kind.rawValue))
    if let keyValueHeads = entry.keyValueHeads { try output.append(",\"kv_heads\":\(keyValueHeads)") }
    try output.append(",\"layer\":\(entry.layer),\"queries\":")
    try output.append(bytes: text.encoded(entry.queries))
    try output.append(",\"scores\":")
    try writeNested(entry.scores, blocks: entry.heads, rows: nq, columns: nk, to: &output)
    try output.append(",\"stack\":")
    try output.append(bytes: text.string(entry.stack.rawValue))
    if let vectors = entry.vectors {
      let perHead = { (flat: [Float]) in flat.count / max(1, entry.heads) / max(1, vectors.headDim) }
      try output.append(",\"vectors\":{\"head_dim\":\(vectors.headDim)")
      for (name, flat) in [
        ("keys", vectors.keys), ("outputs", vectors.outputs), ("queries", vectors.queries),
        ("values", vectors.values),
      ] {
        try output.append(",\"\(name)\":")
        try writeNested(flat, blocks: entry.heads, rows: perHead(flat), columns: vectors.headDim, to: &output)
      }
      try output.append("}")
    }
    try output.append(",\"weights\":")
    try writeNested(entry.weights, blocks: entry.heads, rows: nq, columns: nk, to: &output)
    try output.append("}")
  }

  /// A flat [blocks, rows, columns] array as nested JSON arrays, non-finite values as null.
  static func writeNested(
    _ flat: [Float], blocks: Int, rows: Int, columns: Int, to output: inout ChunkWriter
  ) throws {
    var line = ""
    try output.append("[")
    for b in 0..<blocks {
      try output.append(b == 0 ? "[" : ",[")
      for r in 0..<rows {
        line.removeAll(keepingCapacity: true)
        line += r == 0 ? "[" : ",["
        let start = (b * rows + r) * columns
        for c in 0..<columns {
          if c > 0 { line += "," }
          line += jsonNumber(flat[start + c])
        }
        line += "]"
        try output.append(line)
      }
      try output.append("]")
    }
    try output.append("]")
  }

  /// A Float as JSONEncoder writes it: its shortest description without a trailing ".0", null
  /// when it is not finite (NonFinite.swift).
  static func jsonNumber(_ value: Float) -> String {
    guard value.isFinite else { return "null" }
    let text = value.description
    return text.hasSuffix(".0") ? String(text.dropLast(2)) : text
  }
}

/// Strings and labels through the real encoder, so their escapes are exactly its own.
struct JSONText {
  let encoder: JSONEncoder = {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    return encoder
  }()

  func encoded<T: Encodable>(_ value: T) throws -> [UInt8] {
    TerminalText.escapingUnsafe(json: Array(try encoder.encode(value)))
  }

  /// One string: encoded inside an array, the brackets dropped.
  func string(_ value: String) throws -> [UInt8] {
    Array(try encoded([value]).dropFirst().dropLast())
  }
}
