// Reads an English sentence of the toy grammar back into a `Sentence`, so known sentences can be translated.

enum EnglishParser {
  private static let subjects = index(Lexicon.pronouns.map(\.subject))
  private static let objects = index(Lexicon.pronouns.map(\.object))
  private static let adjectives = index(Lexicon.adjectives.map(\.english))
  private static let singulars = index(Lexicon.nouns.map(\.english))
  private static let plurals = index(Lexicon.nouns.map(\.englishPlural))
  private static let verbs = index(Lexicon.verbs.map(\.english))
    .merging(index(Lexicon.verbs.map(\.englishThird))) { first, _ in first }
  private static let determiners: [String: Determiner] = [
    "the": .the, "a": .a, "an": .a, "two": .two, "three": .three,
  ]

  private static func index(_ words: [String]) -> [String: Int] {
    Dictionary(words.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
  }

  /// The structure behind `words`, or nil when the grammar cannot produce them. The parse is
  /// deliberately loose about agreement ("a"/"an", "do"/"does", "see"/"sees"): re-rendering the
  /// structure and comparing with the input rejects every wrong form in one place.
  static func parse(_ words: [String]) -> Sentence? {
    var position = 0
    func word() -> String? { position < words.count ? words[position] : nil }

    let subject: Argument
    if let first = word(), let pronoun = subjects[first] {
      subject = .pronoun(pronoun)
      position += 1
    } else if let phrase = phrase(words, &position) {
      subject = .phrase(phrase)
    } else {
      return nil
    }

    var negated = false
    if let first = word(), first == "do" || first == "does",
      position + 1 < words.count, words[position + 1] == "not"
    {
      negated = true
      position += 2
    }
    guard let verbWord = word(), let verb = verbs[verbWord] else { return nil }
    position += 1

    let object: Argument
    if let first = word(), let pronoun = objects[first] {
      object = .pronoun(pronoun)
      position += 1
    } else if let phrase = phrase(words, &position) {
      object = .phrase(phrase)
    } else {
      return nil
    }

    let rest = Array(words[position...])
    var adverb: Int?
    if !rest.isEmpty {
      guard let found = Lexicon.adverbs.firstIndex(where: { $0.english == rest }) else { return nil }
      adverb = found
    }

    let sentence = Sentence(
      subject: subject, negated: negated, verb: verb, object: object, adverb: adverb)
    guard sentence.isValid, sentence.render().english == words else { return nil }
    return sentence
  }

  /// determiner, optional adjective, noun (singular or plural form).
  private static func phrase(_ words: [String], _ position: inout Int) -> NounPhrase? {
    var at = position
    guard at < words.count, let determiner = determiners[words[at]] else { return nil }
    at += 1
    var adjective: Int?
    if at < words.count, let found = adjectives[words[at]] {
      adjective = found
      at += 1
    }
    guard at < words.count else { return nil }
    let noun: Int
    let plural: Bool
    if let found = singulars[words[at]] {
      (noun, plural) = (found, false)
    } else if let found = plurals[words[at]] {
      (noun, plural) = (found, true)
    } else {
      return nil
    }
    position = at + 1
    return NounPhrase(noun: noun, plural: plural, determiner: determiner, adjective: adjective)
  }
}
