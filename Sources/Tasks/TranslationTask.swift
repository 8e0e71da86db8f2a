// Toy English→Italian translation: word level, lower case, no final ".", with gold word alignments.

/// Sentences are `subject [do/does not] verb object [adverb]`, 3–10 English words.
/// Italian rules, applied consistently: subject pronouns are dropped and the verb is conjugated
/// ("i see the cat" → "vedo il gatto"); object pronouns become clitics before the verb ("i love
/// you" → "ti amo", "lo"/"la" elide to the token "l'" before a vowel: "l' amo"); "not" → "non"
/// before the clitic and verb; adjectives follow the noun and agree in gender and number; the
/// adverb comes last. English "you" is always singular (tu).
///
/// Alignment (Italian token → English index): determiner ↔ determiner, noun ↔ noun, adjective ↔
/// adjective (across the reordering), verb ↔ the English lexical verb (not "do"/"does"), "non" ↔
/// "not", clitic ↔ object pronoun, "molto" ↔ "much" of "very much", "ogni giorno" ↔ "every day"
/// word by word. English words with no Italian counterpart (subject pronouns, "do"/"does",
/// "very") are simply never pointed to; no Italian token is ever nil.
public struct TranslationTask: TaskGenerator {
  public init() {}

  public var name: String { "translation" }
  public var sourceWords: [String] { TranslationTask.englishWords }
  public var targetWords: [String] { TranslationTask.italianWords }

  public func example(split: TaskSplit, index: Int, seed: UInt64) -> TaskExample {
    drawExample(split: split, index: index, seed: seed, salt: 0x7472_616E_736C_6174) { random in
      let rendered = TranslationTask.randomSentence(&random).render()
      return TaskExample(
        source: rendered.english, target: rendered.italian, alignment: rendered.alignment)
    }
  }

  /// The Italian and its alignment for a sentence of the grammar, nil for anything else
  /// (unknown words, wrong agreement, combinations the generator never makes).
  public static func translate(_ english: [String]) -> (italian: [String], alignment: [Int?])? {
    guard let sentence = EnglishParser.parse(english) else { return nil }
    let rendered = sentence.render()
    return (rendered.italian, rendered.alignment)
  }

  public static let englishWords: [String] = {
    var words = Set(Lexicon.englishDeterminers + ["do", "does", "not"])
    for pronoun in Lexicon.pronouns { words.formUnion([pronoun.subject, pronoun.object]) }
    for noun in Lexicon.nouns { words.formUnion([noun.english, noun.englishPlural]) }
    for adjective in Lexicon.adjectives { words.insert(adjective.english) }
    for verb in Lexicon.verbs { words.formUnion([verb.english, verb.englishThird]) }
    for adverb in Lexicon.adverbs { words.formUnion(adverb.english) }
    return words.sorted()
  }()

  public static let italianWords: [String] = {
    var words = Set(Lexicon.italianDeterminers + ["non", Lexicon.elidedClitic])
    for pronoun in Lexicon.pronouns { words.insert(pronoun.clitic) }
    for noun in Lexicon.nouns { words.formUnion([noun.italian, noun.italianPlural]) }
    for adjective in Lexicon.adjectives { words.formUnion(adjective.italian) }
    for verb in Lexicon.verbs { words.formUnion(verb.italian) }
    for adverb in Lexicon.adverbs { words.formUnion(adverb.italian) }
    return words.sorted()
  }()

  /// Draws parts independently and retries the rare invalid combinations (reflexive pronouns,
  /// same noun twice, over-long sentences), so every valid sentence keeps a non-zero chance.
  static func randomSentence(_ random: inout TaskRandom) -> Sentence {
    while true {
      let verbIndex = random.int(in: 0..<Lexicon.verbs.count)
      let verb = Lexicon.verbs[verbIndex]
      let subject: Argument
      if random.chance(0.55) {
        subject = .pronoun(random.int(in: 0..<Lexicon.pronouns.count))
      } else {
        var kinds: NounKind = .person
        if verb.animalSubject { kinds.insert(.animal) }
        subject = .phrase(randomPhrase(kinds, &random))
      }
      let negated = random.chance(0.2)
      let object: Argument
      if verb.takesPronoun && random.chance(0.35) {
        object = .pronoun(random.int(in: 0..<Lexicon.pronouns.count))
      } else {
        object = .phrase(randomPhrase(verb.objects, &random))
      }
      var adverb: Int?
      if random.chance(0.5) {
        let fitting = Lexicon.adverbs.indices.filter {
          Lexicon.adverbs[$0].verbs?.contains(verb.english) ?? true
        }
        adverb = random.pick(fitting)
      }
      let sentence = Sentence(
        subject: subject, negated: negated, verb: verbIndex, object: object, adverb: adverb)
      if sentence.isValid { return sentence }
    }
  }

  static func randomPhrase(_ kinds: NounKind, _ random: inout TaskRandom) -> NounPhrase {
    let nouns = Lexicon.nouns.indices.filter { !Lexicon.nouns[$0].kind.isDisjoint(with: kinds) }
    let noun = random.pick(nouns)
    let plural = random.chance(0.4)
    let determiner: Determiner
    if plural {
      determiner = random.chance(0.6) ? .the : (random.chance(0.5) ? .two : .three)
    } else {
      determiner = random.chance(0.5) ? .the : .a
    }
    var adjective: Int?
    if random.chance(0.45) {
      let kind = Lexicon.nouns[noun].kind
      adjective = random.pick(
        Lexicon.adjectives.indices.filter { !Lexicon.adjectives[$0].fits.isDisjoint(with: kind) })
    }
    return NounPhrase(noun: noun, plural: plural, determiner: determiner, adjective: adjective)
  }
}
