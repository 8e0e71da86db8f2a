// The built-in training tasks: their data generators, vocabularies, model shapes and schedules.
import Foundation
import Tasks
import Tokenization
import Transformer

public enum BuiltinTask: String, CaseIterable, Sendable {
  case translate, reverse, induction

  public var generator: any TaskGenerator {
    switch self {
    case .translate: return TranslationTask()
    case .reverse: return ReversalTask()
    case .induction: return InductionTask()
    }
  }

  /// The folder name under samples/models.
  public var sampleName: String {
    switch self {
    case .translate: return "en-it"
    case .reverse: return "reverse"
    case .induction: return "induction"
    }
  }

  /// Source and target vocabularies: the four specials, then the task's words in sorted order.
  public func vocabularies() throws(TokenizationError) -> (source: Vocabulary, target: Vocabulary) {
    let generator = self.generator
    let source = generator.sourceWords.isEmpty ? generator.targetWords : generator.sourceWords
    return (
      try Vocabulary(tokens: Vocabulary.specials + source, fileName: "source_vocab.txt"),
      try Vocabulary(tokens: Vocabulary.specials + generator.targetWords, fileName: "target_vocab.txt")
    )
  }

  /// The model shape trained for this task: small enough to train in minutes on two cores, large
  /// enough to reach the task's bar.
  public func config(sourceVocabulary: Int, targetVocabulary: Int) -> ModelConfig {
    let shape: String
    switch self {
    case .translate:
      shape = """
        "architecture": "encoder-decoder", "d_model": 96, "num_heads": 4, "ffn_dim": 256,
        "encoder_layers": 2, "decoder_layers": 1, "max_positions": 32, "positional": "sinusoidal",
        "norm": "post", "activation": "relu", "scale_embeddings": true, "tokenizer": "word",
        "source_vocab_size": \(sourceVocabulary), "target_vocab_size": \(targetVocabulary),
        "description": "toy English→Italian translator (trained by attnscope)",
        "default_text": "i love you very much", "default_target": "ti amo molto"
        """
    case .reverse:
      shape = """
        "architecture": "encoder-decoder", "d_model": 64, "num_heads": 4, "ffn_dim": 128,
        "encoder_layers": 2, "decoder_layers": 2, "max_positions": 24, "positional": "sinusoidal",
        "norm": "post", "activation": "relu", "scale_embeddings": true, "tokenizer": "char",
        "source_vocab_size": \(sourceVocabulary), "target_vocab_size": \(targetVocabulary),
        "description": "reverses a string of letters (trained by attnscope)",
        "default_text": "attention", "default_target": "noitnetta"
        """
    case .induction:
      shape = """
        "architecture": "decoder-only", "d_model": 64, "num_heads": 4, "ffn_dim": 32,
        "decoder_layers": 2, "max_positions": 40, "positional": "learned", "scale_embeddings": true,
        "norm": "pre", "activation": "gelu", "tokenizer": "word", "vocab_size": \(targetVocabulary),
        "description": "induction heads: random tokens that repeat (trained by attnscope)",
        "default_text": "t3 t17 t8 t12 t0 t21 t5 t9 t3 t17 t8 t12 t0 t21 t5 t9"
        """
    }
    let json = "{" + shape + ", \"task\": \"\(rawValue)\", \"lowercase\": true}"
    // The literal above is part of the program: failing to decode it is a programming error.
    return try! ModelConfig(jsonText: json)
  }

  /// Default optimisation settings.
  public var defaults: (steps: Int, batchSize: Int, peakLearningRate: Float, warmup: Int) {
    switch self {
    case .translate: return (4000, 48, 1.5e-3, 200)
    case .reverse: return (3000, 48, 2e-3, 200)
    case .induction: return (8000, 32, 1e-3, 300)
    }
  }
}
