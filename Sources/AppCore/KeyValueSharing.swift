// Grouped-query attention (Ainslie et al. 2023, "GQA"): H query heads read H_kv < H key/value heads,
// consecutive query heads sharing one (multi-query attention when H_kv = 1). Heads in a group see
// the same keys, so their maps differ only through their queries; the screens say which they are.
import Trace

enum KeyValueSharing {
  /// "kv 1 of 2, shared with heads 1–4" for a grouped entry; nil when every query head has its own
  /// keys and values (or the trace does not say).
  static func description(_ entry: AttentionEntry, head: Int) -> String? {
    guard let groups = groupCount(entry) else { return nil }
    let group = entry.headsSharingKeys(with: head)
    let heads =
      groups == 1 ? "all \(entry.heads) heads" : "heads \(group.lowerBound + 1)–\(group.upperBound)"
    return "kv \(entry.keyValueHead(of: head) + 1) of \(groups), shared with \(heads)"
  }

  /// The number of K/V heads where they are fewer than the query heads and divide them.
  static func groupCount(_ entry: AttentionEntry) -> Int? {
    guard let groups = entry.keyValueHeads, groups > 0, groups < entry.heads, entry.heads % groups == 0
    else { return nil }
    return groups
  }

  /// "3 K/V heads, 3 query heads each", the model view's summary.
  static func summary(_ entry: AttentionEntry) -> String? {
    guard let groups = groupCount(entry) else { return nil }
    return "\(groups) K/V head\(groups == 1 ? "" : "s") × \(entry.heads / groups) query heads"
  }
}
