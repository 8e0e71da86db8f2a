// One sentence of the toy grammar as a structure, with its checks and its English and Italian forms.

enum Determiner: Sendable, Hashable, CaseIterable {
  case the, a, two, three
}

struct NounPhrase: Sendable, Hashable {
  var noun: Int
  var plural: Bool
  var determiner: Determiner
  var adjective: Int?
}

enum Argument: Sendable, Hashable {
  case pronoun(Int)
  case phrase(NounPhrase)
}

struct Sentence: Sendable, Hashable {
  var subject: Argument
  var negated: Bool
  var verb: Int
  var object: Argument
  var adverb: Int?

  static let lengths = 3...10

  var person: Person {
    switch subject {
    case .pronoun(let p): return Lexicon.pronouns[p].person
    case .phrase(let phrase): return phrase.plural ? .thirdPlural : .thirdSingular
    }
  }

  /// Everything the generator promises: agreement, sensible combinations, no reflexive readings,
  /// and the English length in `lengths`. The parser accepts exactly what passes here.
  var isValid: Bool {
    let verb = Lexicon.verbs[self.verb]
    if case .phrase(let phrase) = subject {
      guard phrase.isValid else { return false }
      var allowed: NounKind = .person
      if verb.animalSubject { allowed.insert(.animal) }
      guard !Lexicon.nouns[phrase.noun].kind.isDisjoint(with: allowed) else { return false }
    }
    switch object {
    case .pronoun(let p):
      guard verb.takesPronoun else { return false }
      // "i love me", "we see me", "you find you" would need reflexive forms; leave them out.
      let pair = (person, Lexicon.pronouns[p].person)
      let firsts: Set<Person> = [.firstSingular, .firstPlural]
      if firsts.contains(pair.0) && firsts.contains(pair.1) { return false }
      if pair.0 == .secondSingular && pair.1 == .secondSingular { return false }
    case .phrase(let phrase):
      guard phrase.isValid else { return false }
      guard !Lexicon.nouns[phrase.noun].kind.isDisjoint(with: verb.objects) else { return false }
      // "the cat sees the cats" reads oddly; different nouns keep the alignment unambiguous.
      if case .phrase(let s) = subject, s.noun == phrase.noun { return false }
    }
    if let adverb, let verbs = Lexicon.adverbs[adverb].verbs, !verbs.contains(verb.english) {
      return false
    }
    return Sentence.lengths.contains(englishLength)
  }

  var englishLength: Int {
    func length(_ argument: Argument) -> Int {
      switch argument {
      case .pronoun: return 1
      case .phrase(let phrase): return phrase.adjective == nil ? 2 : 3
      }
    }
    return length(subject) + (negated ? 3 : 1) + length(object)
      + (adverb.map { Lexicon.adverbs[$0].english.count } ?? 0)
  }

  /// English tokens, Italian tokens, and for each Italian token the English index it translates.
  /// Italian: subject pronouns dropped, "non" and object clitics before the verb, adjectives after
  /// the noun, adverb last.
  func render() -> (english: [String], italian: [String], alignment: [Int?]) {
    var english: [String] = []
    var italian: [(word: String, source: Int?)] = []
    switch subject {
    case .pronoun(let p): english.append(Lexicon.pronouns[p].subject)
    case .phrase(let phrase): italian += phrase.render(into: &english)
    }
    let verb = Lexicon.verbs[self.verb]
    let italianVerb = verb.italian[person.rawValue]
    if negated {
      english.append(person == .thirdSingular ? "does" : "do")  // "do" has no Italian counterpart
      english.append("not")
      italian.append(("non", english.count - 1))
      english.append(verb.english)
    } else {
      english.append(person == .thirdSingular ? verb.englishThird : verb.english)
    }
    let verbIndex = english.count - 1
    var objectPhrase: [(word: String, source: Int?)] = []
    switch object {
    case .pronoun(let p):
      english.append(Lexicon.pronouns[p].object)
      italian.append((Sentence.clitic(Lexicon.pronouns[p].clitic, before: italianVerb), english.count - 1))
    case .phrase(let phrase):
      objectPhrase = phrase.render(into: &english)
    }
    italian.append((italianVerb, verbIndex))
    italian += objectPhrase
    if let adverb {
      let phrase = Lexicon.adverbs[adverb]
      let start = english.count
      english += phrase.english
      for (word, offset) in zip(phrase.italian, phrase.alignment) {
        italian.append((word, start + offset))
      }
    }
    return (english, italian.map(\.word), italian.map(\.source))
  }

  static func clitic(_ clitic: String, before verb: String) -> String {
    guard clitic == "lo" || clitic == "la", let first = verb.first, "aeiouh".contains(first) else {
      return clitic
    }
    return Lexicon.elidedClitic
  }
}

extension NounPhrase {
  var isValid: Bool {
    switch determiner {
    case .a: if plural { return false }
    case .two, .three: if !plural { return false }
    case .the: break
    }
    guard let adjective else { return true }
    return !Lexicon.adjectives[adjective].fits.isDisjoint(with: Lexicon.nouns[noun].kind)
  }

  /// Appends the English words to `english` and returns the Italian words (determiner, noun,
  /// adjective) with the English index each translates.
  func render(into english: inout [String]) -> [(word: String, source: Int?)] {
    let noun = Lexicon.nouns[self.noun]
    let adjective = self.adjective.map { Lexicon.adjectives[$0] }
    let englishNoun = plural ? noun.englishPlural : noun.english
    let next = adjective?.english ?? englishNoun
    let determinerIndex = english.count
    switch determiner {
    case .the: english.append("the")
    case .a: english.append(next.first.map { "aeiou".contains($0) } == true ? "an" : "a")
    case .two: english.append("two")
    case .three: english.append("three")
    }
    var result: [(word: String, source: Int?)] = [(italianDeterminer, determinerIndex)]
    var adjectiveIndex: Int?
    if let adjective {
      adjectiveIndex = english.count
      english.append(adjective.english)
    }
    english.append(englishNoun)
    result.append((plural ? noun.italianPlural : noun.italian, english.count - 1))
    if let adjective, let adjectiveIndex {
      result.append((adjective.italian(noun.gender, plural: plural), adjectiveIndex))
    }
    return result
  }

  /// The Italian article agrees with the noun, which directly follows it (adjectives come after).
  var italianDeterminer: String {
    let noun = Lexicon.nouns[self.noun]
    switch (determiner, noun.gender, plural) {
    case (.two, _, _): return "due"
    case (.three, _, _): return "tre"
    case (.the, .feminine, false): return "la"
    case (.the, .feminine, true): return "le"
    case (.the, .masculine, false): return noun.impure ? "lo" : "il"
    case (.the, .masculine, true): return noun.impure ? "gli" : "i"
    case (.a, .feminine, _): return "una"
    case (.a, .masculine, _): return noun.impure ? "uno" : "un"
    }
  }
}
