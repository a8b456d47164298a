#!/usr/bin/env bash
# Generates a Valgrind lackey memory trace of a real program, for pager-sim and the pager
# benchmark. Traces are data: they go to /work/main/traces/ (git-ignored) and are never committed.
#
# usage: tools/traces/make-lackey-trace.sh [--if-missing] [output] [min-references]
#   --if-missing    do nothing when the output already exists (what `pnpm bench` runs)
#   output          default: traces/gzip.lackey (relative to the repository root)
#   min-references  default: 10000000; the script fails if the trace is shorter
#
# The program traced is gzip compressing a deterministic text input (the numbers 1..N from
# seq), so the trace is reproducible on one machine. Set INPUT_LINES to change N.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
if_missing=false
if [ "${1:-}" = "--if-missing" ]; then
  if_missing=true
  shift
fi
output="${1:-$root/traces/gzip.lackey}"
min_references="${2:-10000000}"
input_lines="${INPUT_LINES:-12000}"

if $if_missing && [ -s "$output" ]; then
  exit 0
fi
command -v valgrind >/dev/null || { echo "error: valgrind is not installed (Debian: apt-get install valgrind); the pager benchmarks read its trace" >&2; exit 1; }
command -v gzip >/dev/null || { echo "error: gzip is not installed" >&2; exit 1; }

mkdir -p "$(dirname "$output")"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
seq 1 "$input_lines" > "$work/input.txt"

# --trace-mem=yes logs every instruction fetch (I), load (L), store (S) and modify (M);
# --log-file keeps the trace apart from the program's own output.
valgrind --tool=lackey --trace-mem=yes --log-file="$output" gzip -c -9 "$work/input.txt" > /dev/null

references="$(grep -c -E '^(I | [LSM] )' "$output" || true)"
echo "$output: $references references ($(du -h "$output" | cut -f1))"
if [ "$references" -lt "$min_references" ]; then
  echo "error: only $references references, fewer than $min_references; raise INPUT_LINES" >&2
  exit 1
fi
