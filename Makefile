# The README's commands. `make run` and `make test` install what is missing first (Debian, as root).
SWIFT ?= swift
BUILD_FLAGS ?=
VENV ?= /opt/attnscope-venv

.PHONY: setup build run test test-unit test-e2e bench fixtures format samples clean

# Debian packages the build needs: ncurses (usually present), OpenBLAS (usually not), tmux for the e2e tests.
setup:
	@missing=""; \
	for pkg in libncurses-dev libopenblas-dev tmux pkg-config; do \
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

# Unit, parity and end-to-end tests (the e2e tests drive the built binary in tmux).
test: setup
	$(SWIFT) build $(BUILD_FLAGS) --product attnscope
	$(SWIFT) test $(BUILD_FLAGS)

bench: setup
	$(SWIFT) run -c release attnscope-bench

# Regenerates the PyTorch parity fixtures; needs torch in $(VENV) (never needed by build or tests).
fixtures:
	$(VENV)/bin/python scripts/make_fixtures.py

# Re-creates the untrained default sample's weights from its recorded seed.
samples: build
	$(SWIFT) run $(BUILD_FLAGS) attnscope init-model samples/models/en-it-untrained --seed 1

format:
	$(SWIFT) format --in-place --recursive Package.swift Sources Tests

clean:
	rm -rf .build
