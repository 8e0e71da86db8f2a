// Hand-checked English→Italian pairs, rejected sentences, and properties of generated translations.
import Testing

@testable import Tasks

@Suite struct TranslationTests {
  /// (English, Italian, alignment), each checked by hand against Italian grammar.
  static let pairs: [(String, String, [Int])] = [
    ("i love you very much", "ti amo molto", [2, 1, 4]),
    ("i see the cat", "vedo il gatto", [1, 2, 3]),
    ("we have the red cars", "abbiamo le macchine rosse", [1, 2, 4, 3]),
    ("she eats an apple", "mangia una mela", [1, 2, 3]),
    ("they read the old books", "leggono i libri vecchi", [1, 2, 4, 3]),
    ("i see the students", "vedo gli studenti", [1, 2, 3]),
    ("you find a mirror", "trovi uno specchio", [1, 2, 3]),
    ("he loves her", "l' ama", [2, 1]),
    ("i do not love him", "non l' amo", [2, 4, 3]),
    ("the dogs see us often", "i cani ci vedono spesso", [0, 1, 3, 2, 4]),
    (
      "the small girl wants a white horse now", "la ragazza piccola vuole un cavallo bianco ora",
      [0, 2, 1, 3, 4, 6, 5, 7]
    ),
    ("two black cats want me always", "due gatti neri mi vogliono sempre", [0, 2, 1, 4, 3, 5]),
    ("we buy three big houses today", "compriamo tre case grandi oggi", [1, 2, 4, 3, 5]),
    (
      "the woman does not read the letters every day", "la donna non legge le lettere ogni giorno",
      [0, 1, 3, 4, 5, 6, 7, 8]
    ),
    ("you want them", "li vuoi", [2, 1]),
    (
      "a beautiful woman finds the good cakes", "una donna bella trova le torte buone",
      [0, 2, 1, 3, 4, 6, 5]
    ),
    ("the students love the white mice", "gli studenti amano i topi bianchi", [0, 1, 2, 3, 5, 4]),
    ("i have a red book", "ho un libro rosso", [1, 2, 4, 3]),
  ]

  static func words(_ text: String) -> [String] { text.split(separator: " ").map(String.init) }

  @Test func handCheckedPairs() throws {
    for (english, italian, alignment) in Self.pairs {
      let result = try #require(TranslationTask.translate(Self.words(english)), "\(english)")
      #expect(result.italian == Self.words(italian), "\(english)")
      #expect(result.alignment == alignment.map { Optional($0) }, "\(english)")
    }
  }

  @Test func showcaseSentenceIsGeneratedInTraining() {
    let english = Self.words("i love you very much")
    #expect(TaskSplit.of(key: english) == .train)
    var random = TaskRandom(seed: 3)
    var found = false
    for _ in 0..<200_000 where !found {
      found = TranslationTask.randomSentence(&random).render().english == english
    }
    #expect(found)
  }

  @Test func rejectsSentencesOutsideTheGrammar() {
    let rejected = [
      "", "i see", "i eat the book", "i love me", "we see me", "you love you", "he love her",
      "i sees the cat", "he do not see the cat", "i eat a apple", "i eat an cake",
      "i see the cat .", "i see the cats very much", "the cat reads the book", "a cats see me",
      "two cat see me", "the cat sees the cats", "i see the red cat", "i see the cat the dog",
      "i love you very much please", "the big dog does not want the small black horse very much",
    ]
    for english in rejected {
      #expect(TranslationTask.translate(Self.words(english)) == nil, "\(english)")
    }
  }

  @Test func generatedExamplesAreConsistent() {
    let task = TranslationTask()
    let sourceWords = Set(task.sourceWords)
    let targetWords = Set(task.targetWords)
    var distinct = Set<[String]>()
    var usedSource = Set<String>()
    var usedTarget = Set<String>()
    for index in 0..<20_000 {
      let example = task.example(split: .train, index: index, seed: 11)
      distinct.insert(example.source)
      usedSource.formUnion(example.source)
      usedTarget.formUnion(example.target)
      #expect(Sentence.lengths.contains(example.source.count))
      #expect(example.alignment.count == example.target.count)
      let aligned = example.alignment.compactMap { $0 }
      // Every Italian word translates exactly one English word, and no two share one.
      #expect(aligned.count == example.target.count)
      #expect(Set(aligned).count == aligned.count)
      #expect(aligned.allSatisfy { example.source.indices.contains($0) })
      if index < 2_000 {
        let translated = TranslationTask.translate(example.source)
        #expect(translated?.italian == example.target && translated?.alignment == example.alignment)
      }
    }
    #expect(distinct.count >= 2_000)
    #expect(usedSource.isSubset(of: sourceWords))
    #expect(usedTarget.isSubset(of: targetWords))
    // The word lists are tight: every listed word really occurs.
    #expect(usedSource == sourceWords)
    #expect(usedTarget == targetWords)
  }

  @Test func wordListsAreSortedAndUnique() {
    let task = TranslationTask()
    for words in [task.sourceWords, task.targetWords] {
      #expect(words == Array(Set(words)).sorted())
      #expect(!words.contains { $0.hasPrefix("<") })
    }
  }

  @Test func alignedWordsTranslateEachOther() {
    // Nouns, adjectives and verbs point at their own English word despite the reordering.
    let task = TranslationTask()
    for index in 0..<500 {
      let example = task.example(split: .heldOut, index: index, seed: 5)
      for (word, source) in zip(example.target, example.alignment) {
        guard let source else { continue }
        let english = example.source[source]
        if let noun = Lexicon.nouns.first(where: { [$0.italian, $0.italianPlural].contains(word) }) {
          #expect([noun.english, noun.englishPlural].contains(english))
        }
        if let adjective = Lexicon.adjectives.first(where: { $0.italian.contains(word) }) {
          #expect(adjective.english == english)
        }
        if let verb = Lexicon.verbs.first(where: { $0.italian.contains(word) }) {
          #expect([verb.english, verb.englishThird].contains(english))
        }
      }
    }
  }
}
