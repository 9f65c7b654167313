#!/usr/bin/env bash
# End-to-end benchmark: for each size, generate a synthetic archive with
# `chorus gen`, time a cold `chorus run` on it, then a nightly run after one
# new post is added, each under /usr/bin/time -v for wall time and peak
# resident memory. Usage: scripts/bench-e2e.sh [SIZE ...] (default 10000 100000).
# Results are printed as a Markdown table; BENCHMARKS.md quotes them.
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(10000 100000)
work=${BENCH_DIR:-$(mktemp -d)}
bin=bin/chorus
make -s build
timev() { # timev LOG CMD...: runs CMD under /usr/bin/time -v, prints "wall_s peak_MiB"
  local log=$1; shift
  /usr/bin/time -v "$@" >"$log.out" 2>"$log" || { echo "failed: $*" >&2; tail -5 "$log" >&2; exit 1; }
  awk -F': ' '/Elapsed \(wall clock\)/{n=split($2,t,":"); s=(n==3)?t[1]*3600+t[2]*60+t[3]:t[1]*60+t[2]}
              /Maximum resident set size/{m=$2/1024}
              END{printf "%.2f %.0f\n", s, m}' "$log"
}
echo "machine: $(nproc) cores, $(awk -F': ' '/model name/{print $2; exit}' /proc/cpuinfo), $(free -g | awk '/Mem:/{print $2}') GiB"
echo
echo "| comments | archive MB | cold run s | comments/s | MB/s | cold peak MiB | nightly (+1 post) s | nightly peak MiB |"
echo "|---|---|---|---|---|---|---|---|"
for n in "${sizes[@]}"; do
  arch=$work/arch-$n out=$work/out-$n extra=$work/extra-$n
  rm -rf "$arch" "$out" "$out.db"* "$extra"
  $bin gen --comments "$n" --seed 1 --out "$arch" >/dev/null
  mb=$(du -sm --apparent-size "$arch" | cut -f1)
  read -r cold cold_mem < <(timev "$work/cold-$n.log" $bin run -q --input "$arch" --out "$out")
  # One new post: the first text file of a small archive with another seed.
  $bin gen --comments 30 --seed 2 --bad-files=false --out "$extra" >/dev/null
  new=$(find "$extra" -name '*.txt' | sort | head -1)
  cp "$new" "$arch/zz-new-post.txt"
  read -r nightly nightly_mem < <(timev "$work/nightly-$n.log" $bin run -q --input "$arch" --out "$out")
  grep -q ' 1 files read' "$work/nightly-$n.log.out" || { echo "nightly run did not read exactly one file:" >&2; cat "$work/nightly-$n.log.out" >&2; exit 1; }
  awk -v n="$n" -v mb="$mb" -v c="$cold" -v cm="$cold_mem" -v ni="$nightly" -v nm="$nightly_mem" \
    'BEGIN{printf "| %d | %d | %.2f | %.0f | %.1f | %d | %.2f | %d |\n", n, mb, c, n/c, mb/c, cm, ni, nm}'
done
[ -n "${BENCH_DIR:-}" ] || rm -rf "$work"
