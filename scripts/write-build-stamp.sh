#!/bin/sh
# Writes Sources/CBuildStamp/commit.generated.h with the checkout's commit (for `attnscope
# --version`), only when it changed, and touches stamp.c so the build recompiles that one file.
# Outside a git checkout (a tarball) the header is removed and the binary says "unknown commit".
set -eu
dir=Sources/CBuildStamp
header=$dir/commit.generated.h
if commit=$(git rev-parse --short=12 HEAD 2>/dev/null); then
  # Tracked files changed since the commit: the binary is not exactly that commit.
  if ! git diff --quiet HEAD -- 2>/dev/null; then commit="$commit-dirty"; fi
  wanted="#define ATTN_BUILD_COMMIT \"$commit\""
  if [ ! -f "$header" ] || [ "$(cat "$header")" != "$wanted" ]; then
    printf '%s\n' "$wanted" > "$header"
    touch "$dir/stamp.c"
  fi
elif [ -f "$header" ]; then
  rm -f "$header"
  touch "$dir/stamp.c"
fi
