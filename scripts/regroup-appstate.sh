#!/usr/bin/env bash
# One-off helper (kept for merging branches written before the AppState regroup): rewrites the old
# flat decoding fields of AppState into the per-screen groups.
set -euo pipefail
for f in "$@"; do
  sed -i -E \
    -e 's/\bstate\.decodeRun\b/state.decode.run/g; s/\bs\.decodeRun\b/s.decode.run/g' \
    -e 's/\b(state|s)\.decodeStep\b/\1.decode.step/g; s/\b(state|s)\.decodeLayer\b/\1.decode.layer/g' \
    -e 's/\b(state|s)\.decodeHead\b/\1.decode.head/g; s/\b(state|s)\.decodePlaying\b/\1.decode.playing/g' \
    -e 's/\b(state|s|shown)\.compareRun\b/\1.compare.run/g; s/\b(state|s)\.beamWidth\b/\1.compare.width/g' \
    -e 's/\b(state|s)\.alphaTenths\b/\1.compare.alphaTenths/g; s/\b(state|s)\.alpha\b/\1.compare.alpha/g' \
    -e 's/\b(state|s)\.compareStep\b/\1.compare.step/g; s/\b(state|s)\.treeNode\b/\1.compare.treeNode/g' \
    -e 's/\b(state|s)\.decodingProblem\b/\1.decodingProblem/g' \
    "$f"
done
# Screen 8's fields (second regroup).
for f in "$@"; do
  sed -i -E \
    -e 's/\b(state|s|current)\.patchView\b/\1.patches.view/g; s/\b(state|s|current)\.patchQuery\b/\1.patches.query/g' \
    -e 's/\b(state|s|current)\.patchLayer\b/\1.patches.layer/g; s/\b(state|s|current)\.patchSource\b/\1.patches.source/g' \
    -e 's/\b(state|s|current)\.patchOverlay\b/\1.patches.overlay/g' \
    "$f"
done
