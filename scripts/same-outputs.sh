#!/usr/bin/env bash
# same-outputs.sh BEFORE [AFTER]: check that two versions of chorus publish
# byte-identical reports.
#
# BEFORE and AFTER are git revisions (AFTER defaults to the working tree).
# Both are built with the same version string, so the chorus_version column
# cannot differ, then each runs, in a fresh folder, on:
#   - the bundled sample archive (a cold run, then a nightly run that finds
#     nothing new);
#   - the real seeds in ../shared/corpus/seeds, when present;
#   - a generated archive of $SAME_COMMENTS comments (default 100,000; made by
#     BEFORE's `chorus gen`), cold, then nightly after one new file is added.
# Every output file must be byte-identical between the two versions, except
# the run's times: manifest.json's started_at, finished_at and
# stages[].seconds, and the "run started" line of index.html.
# Exit 0 when all are the same; 1, with the first differences, otherwise.
# A refactor that promises unchanged outputs is checked with this script.
set -euo pipefail
cd "$(dirname "$0")/.."
before=${1:?usage: scripts/same-outputs.sh BEFORE_REV [AFTER_REV]}
after=${2:-}
comments=${SAME_COMMENTS:-100000}
work=$(mktemp -d)
trap 'rm -rf "$work"; git worktree prune' EXIT

build() { # build REV|"" DEST
  local src=.
  if [ -n "$1" ]; then
    src="$work/src-$(basename "$2")"
    git worktree add -q --detach "$src" "$1"
  fi
  (cd "$src" && go build -trimpath -ldflags '-X chorus/internal/version.Version=same-outputs' -o "$2" ./cmd/chorus)
  if [ -n "$1" ]; then git worktree remove --force "$src"; fi
}
build "$before" "$work/before"
build "$after" "$work/after"
echo "built $before and ${after:-the working tree}"

"$work/before" gen --comments "$comments" --seed 7 --out "$work/gen" >/dev/null
"$work/before" gen --comments 30 --seed 8 --out "$work/gen-extra" >/dev/null
extra=$(find "$work/gen-extra" -type f -path '*/0*/*' | sort | head -1)

# run VERSION NAME ARGS...: one run in $work/VERSION-NAME (its out/ and out.db).
run() {
  local v=$1 name=$2; shift 2
  mkdir -p "$work/$v-$name"
  (cd "$work/$v-$name" && "$work/$v" run -q --out out "$@" >/dev/null)
}

# same NAME STEP: compare the two versions' out/ folders.
status=0
same() {
  local a="$work/before-$1/out" b="$work/after-$1/out"
  if ! diff -rq -x manifest.json -x index.html "$a" "$b" >"$work/diff" 2>&1; then
    echo "DIFFERENT: $1 ($2):"; head -20 "$work/diff"; status=1; return
  fi
  # The run's times, and the hash of index.html (which shows one) in the
  # manifest's list of outputs.
  strip() {
    grep -vE '"(started_at|finished_at|seconds)"|run started [0-9T:Z-]+' "$1" |
      awk '/"path": "index.html"/ { page = 1 } page && /"sha256"/ { page = 0; next } { print }'
  }
  for f in manifest.json index.html; do
    if ! diff <(strip "$a/$f") <(strip "$b/$f") >"$work/diff"; then
      echo "DIFFERENT: $1 ($2): $f"; head -20 "$work/diff" | cut -c1-300; status=1; return
    fi
  done
  echo "same: $1 ($2), $(find "$a" -type f | wc -l) files, $(wc -l <"$a/comments.csv") lines of comments.csv"
}

for v in before after; do run "$v" sample; done
same sample cold
for v in before after; do run "$v" sample; done
same sample nightly

seeds=../shared/corpus/seeds
if [ -d "$seeds" ]; then
  seeds=$(cd "$seeds" && pwd)
  for v in before after; do run "$v" seeds --input "$seeds"; done
  same seeds cold
else
  echo "skipped: the seeds ($seeds is absent)"
fi

# Each version reads its own copy, under the same relative name: inputs are
# named by their path as given.
for v in before after; do
  mkdir -p "$work/$v-gen" && cp -r "$work/gen" "$work/$v-gen/archive"
  run "$v" gen --input archive
done
same gen cold
for v in before after; do
  cp "$extra" "$work/$v-gen/archive/zz-extra.txt"
  run "$v" gen --input archive
done
same gen nightly
exit $status
