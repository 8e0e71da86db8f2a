// The toy English→Italian vocabulary: nouns, adjectives, verbs, pronouns and adverbs with their forms.

/// What a noun denotes; verbs and adjectives say which kinds they combine with, so sentences stay
/// sensible ("i read the book", never "i eat the book").
struct NounKind: OptionSet, Sendable, Hashable {
  let rawValue: UInt8
  static let animal = NounKind(rawValue: 1)
  static let person = NounKind(rawValue: 2)
  static let food = NounKind(rawValue: 4)
  static let thing = NounKind(rawValue: 8)
  static let readable = NounKind(rawValue: 16)
  static let all: NounKind = [.animal, .person, .food, .thing, .readable]
}

enum Gender: Sendable { case masculine, feminine }

struct Noun: Sendable {
  let english: String, englishPlural: String
  let italian: String, italianPlural: String
  let gender: Gender
  /// Masculine nouns starting with s+consonant or z take lo / gli / uno instead of il / i / un.
  let impure: Bool
  let kind: NounKind
}

struct Adjective: Sendable {
  let english: String
  /// Masculine singular, feminine singular, masculine plural, feminine plural.
  let italian: [String]
  let fits: NounKind

  func italian(_ gender: Gender, plural: Bool) -> String {
    italian[(gender == .masculine ? 0 : 1) + (plural ? 2 : 0)]
  }
}

/// The persons the grammar uses. English "you" is always singular (tu), so there is no voi form.
enum Person: Int, Sendable, CaseIterable {
  case firstSingular, secondSingular, thirdSingular, firstPlural, thirdPlural
}

struct Verb: Sendable {
  let english: String, englishThird: String
  /// Present tense, indexed by `Person.rawValue`.
  let italian: [String]
  let objects: NounKind
  let takesPronoun: Bool
  /// Whether an animal may be the subject (people may do everything).
  let animalSubject: Bool
}

struct Pronoun: Sendable {
  let subject: String, object: String
  let person: Person
  /// The Italian object clitic, placed before the verb.
  let clitic: String
}

struct Adverb: Sendable {
  let english: [String]
  let italian: [String]
  /// For each Italian word, the index of the English word (within this phrase) it aligns to.
  let alignment: [Int]
  /// Restricts the adverb to these verbs ("very much" only reads well after love and want).
  let verbs: Set<String>?
}

enum Lexicon {
  static let nouns: [Noun] = [
    Noun(
      english: "cat", englishPlural: "cats", italian: "gatto", italianPlural: "gatti",
      gender: .masculine, impure: false, kind: .animal),
    Noun(
      english: "dog", englishPlural: "dogs", italian: "cane", italianPlural: "cani",
      gender: .masculine, impure: false, kind: .animal),
    Noun(
      english: "horse", englishPlural: "horses", italian: "cavallo", italianPlural: "cavalli",
      gender: .masculine, impure: false, kind: .animal),
    Noun(
      english: "mouse", englishPlural: "mice", italian: "topo", italianPlural: "topi",
      gender: .masculine, impure: false, kind: .animal),
    Noun(
      english: "boy", englishPlural: "boys", italian: "ragazzo", italianPlural: "ragazzi",
      gender: .masculine, impure: false, kind: .person),
    Noun(
      english: "girl", englishPlural: "girls", italian: "ragazza", italianPlural: "ragazze",
      gender: .feminine, impure: false, kind: .person),
    Noun(
      english: "woman", englishPlural: "women", italian: "donna", italianPlural: "donne",
      gender: .feminine, impure: false, kind: .person),
    Noun(
      english: "student", englishPlural: "students", italian: "studente",
      italianPlural: "studenti", gender: .masculine, impure: true, kind: .person),
    Noun(
      english: "book", englishPlural: "books", italian: "libro", italianPlural: "libri",
      gender: .masculine, impure: false, kind: .readable),
    Noun(
      english: "letter", englishPlural: "letters", italian: "lettera", italianPlural: "lettere",
      gender: .feminine, impure: false, kind: .readable),
    Noun(
      english: "house", englishPlural: "houses", italian: "casa", italianPlural: "case",
      gender: .feminine, impure: false, kind: .thing),
    Noun(
      english: "car", englishPlural: "cars", italian: "macchina", italianPlural: "macchine",
      gender: .feminine, impure: false, kind: .thing),
    Noun(
      english: "mirror", englishPlural: "mirrors", italian: "specchio", italianPlural: "specchi",
      gender: .masculine, impure: true, kind: .thing),
    Noun(
      english: "apple", englishPlural: "apples", italian: "mela", italianPlural: "mele",
      gender: .feminine, impure: false, kind: .food),
    Noun(
      english: "cake", englishPlural: "cakes", italian: "torta", italianPlural: "torte",
      gender: .feminine, impure: false, kind: .food),
    Noun(
      english: "sandwich", englishPlural: "sandwiches", italian: "panino",
      italianPlural: "panini", gender: .masculine, impure: false, kind: .food),
  ]

  static let adjectives: [Adjective] = [
    Adjective(
      english: "red", italian: ["rosso", "rossa", "rossi", "rosse"],
      fits: [.thing, .readable, .food]),
    Adjective(english: "big", italian: ["grande", "grande", "grandi", "grandi"], fits: .all),
    Adjective(english: "small", italian: ["piccolo", "piccola", "piccoli", "piccole"], fits: .all),
    Adjective(
      english: "black", italian: ["nero", "nera", "neri", "nere"],
      fits: [.animal, .thing, .readable]),
    Adjective(
      english: "white", italian: ["bianco", "bianca", "bianchi", "bianche"],
      fits: [.animal, .thing, .readable]),
    Adjective(
      english: "new", italian: ["nuovo", "nuova", "nuovi", "nuove"],
      fits: [.thing, .readable, .person]),
    Adjective(
      english: "old", italian: ["vecchio", "vecchia", "vecchi", "vecchie"],
      fits: [.animal, .person, .thing, .readable]),
    Adjective(
      english: "beautiful", italian: ["bello", "bella", "belli", "belle"],
      fits: [.animal, .person, .thing]),
    Adjective(
      english: "good", italian: ["buono", "buona", "buoni", "buone"],
      fits: [.food, .person, .animal, .readable]),
  ]

  static let verbs: [Verb] = [
    Verb(
      english: "see", englishThird: "sees",
      italian: ["vedo", "vedi", "vede", "vediamo", "vedono"],
      objects: .all, takesPronoun: true, animalSubject: true),
    Verb(
      english: "eat", englishThird: "eats",
      italian: ["mangio", "mangi", "mangia", "mangiamo", "mangiano"],
      objects: .food, takesPronoun: false, animalSubject: true),
    Verb(
      english: "love", englishThird: "loves",
      italian: ["amo", "ami", "ama", "amiamo", "amano"],
      objects: [.animal, .person], takesPronoun: true, animalSubject: true),
    Verb(
      english: "have", englishThird: "has",
      italian: ["ho", "hai", "ha", "abbiamo", "hanno"],
      objects: [.animal, .thing, .readable, .food], takesPronoun: false, animalSubject: false),
    Verb(
      english: "want", englishThird: "wants",
      italian: ["voglio", "vuoi", "vuole", "vogliamo", "vogliono"],
      objects: [.animal, .thing, .readable, .food], takesPronoun: true, animalSubject: true),
    Verb(
      english: "read", englishThird: "reads",
      italian: ["leggo", "leggi", "legge", "leggiamo", "leggono"],
      objects: .readable, takesPronoun: false, animalSubject: false),
    Verb(
      english: "buy", englishThird: "buys",
      italian: ["compro", "compri", "compra", "compriamo", "comprano"],
      objects: [.animal, .thing, .readable, .food], takesPronoun: false, animalSubject: false),
    Verb(
      english: "find", englishThird: "finds",
      italian: ["trovo", "trovi", "trova", "troviamo", "trovano"],
      objects: .all, takesPronoun: true, animalSubject: true),
  ]

  /// "them" → "li": English does not mark its gender, so the masculine (default) plural is used.
  static let pronouns: [Pronoun] = [
    Pronoun(subject: "i", object: "me", person: .firstSingular, clitic: "mi"),
    Pronoun(subject: "you", object: "you", person: .secondSingular, clitic: "ti"),
    Pronoun(subject: "he", object: "him", person: .thirdSingular, clitic: "lo"),
    Pronoun(subject: "she", object: "her", person: .thirdSingular, clitic: "la"),
    Pronoun(subject: "we", object: "us", person: .firstPlural, clitic: "ci"),
    Pronoun(subject: "they", object: "them", person: .thirdPlural, clitic: "li"),
  ]

  /// "very much" → "molto" aligns molto to "much" (the head); "very" has no counterpart.
  static let adverbs: [Adverb] = [
    Adverb(english: ["very", "much"], italian: ["molto"], alignment: [1], verbs: ["love", "want"]),
    Adverb(english: ["often"], italian: ["spesso"], alignment: [0], verbs: nil),
    Adverb(english: ["now"], italian: ["ora"], alignment: [0], verbs: nil),
    Adverb(english: ["always"], italian: ["sempre"], alignment: [0], verbs: nil),
    Adverb(english: ["today"], italian: ["oggi"], alignment: [0], verbs: nil),
    Adverb(english: ["every", "day"], italian: ["ogni", "giorno"], alignment: [0, 1], verbs: nil),
  ]

  /// Function words that are not in the tables above.
  static let englishDeterminers = ["the", "a", "an", "two", "three"]
  static let italianDeterminers = ["il", "lo", "la", "i", "gli", "le", "un", "uno", "una", "due", "tre"]
  /// Italian elides lo / la before a vowel or h ("la amo" → "l' amo"); "l'" is its own token.
  static let elidedClitic = "l'"
}
