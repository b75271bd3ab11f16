#!/usr/bin/env bash
# Whole-program benchmarks: runs each Haxe program under hlsharp and, where a HashLink `hl` is
# available (on PATH, or named by HL=/path/to/hl), under hl in the same run, checks that both
# print the same result, and prints the wall times and their ratio (best of RUNS runs each).
#
#   bench/programs/run.sh [program ...]        RUNS=5 HL=/path/to/hl bench/programs/run.sh fib
#
# hlsharp_ms compiles as it runs (HLSHARP_CACHE=off); cached_ms loads the program compiled ahead
# of time from a cache the first of its runs fills (hlsharp run's cache), and is the best of the others.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
runs="${RUNS:-3}"
out="$root/.cache/bench-programs"
mkdir -p "$out"

hl="${HL:-$(command -v hl || true)}"
programs=("$@")
if [ ${#programs[@]} -eq 0 ]; then
  # "large", "embedding", "threads", "dedicated", "scaling", "virtuals" and "calls" are inputs of bench/HlSharp.Bench, not timed programs.
  for dir in "$here"/*/; do name="$(basename "$dir")"; case "$name" in large|embedding|threads|dedicated|scaling|virtuals|calls) ;; *) programs+=("$name") ;; esac; done
fi

# Published ReadyToRun, as the tool would be deployed: HlSharp's own code is then precompiled and
# start-up is not spent JIT-compiling the reader and the compiler.
echo "publishing hlsharp (Release, ReadyToRun)..."
dotnet publish "$root/src/HlSharp.Cli" -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true \
  --nologo -v quiet -o "$out/hlsharp" >/dev/null
hlsharp=("$out/hlsharp/HlSharp.Cli" run)
cache="$out/cache"
rm -rf "$cache"

# Best wall time in milliseconds of running a command RUNS times; its output goes to $2.
best_ms() {
  local output="$1"; shift
  local best=""
  for _ in $(seq "$runs"); do
    local start end ms
    start=$(date +%s%N)
    "$@" >"$output"
    end=$(date +%s%N)
    ms=$(( (end - start) / 1000000 ))
    if [ -z "$best" ] || [ "$ms" -lt "$best" ]; then best=$ms; fi
  done
  echo "$best"
}

if [ -n "$hl" ]; then
  echo "comparing with $hl"
else
  echo "no hl found (set HL=/path/to/hl to compare): timing hlsharp alone"
fi
printf '%-10s %12s %12s %12s %10s  %s\n' program hlsharp_ms cached_ms hl_ms hl/hlsharp result
status=0
for p in "${programs[@]}"; do
  haxe -cp "$here/$p" -main Main -hl "$out/$p.hl"
  ms=$(HLSHARP_CACHE=off best_ms "$out/$p.hlsharp.txt" "${hlsharp[@]}" "$out/$p.hl")
  HLSHARP_CACHE="$cache" "${hlsharp[@]}" "$out/$p.hl" >/dev/null   # fills the cache
  cms=$(HLSHARP_CACHE="$cache" best_ms "$out/$p.cached.txt" "${hlsharp[@]}" "$out/$p.hl")
  if ! cmp -s "$out/$p.hlsharp.txt" "$out/$p.cached.txt"; then
    result="DIFFERENT OUTPUT cached: '$(tr '\n' ' ' <"$out/$p.cached.txt")'"
    status=1
  fi
  result=${result:-$(tr '\n' ' ' <"$out/$p.hlsharp.txt")}
  if [ -n "$hl" ]; then
    hms=$(best_ms "$out/$p.hl.txt" "$hl" "$out/$p.hl")
    if ! cmp -s "$out/$p.hlsharp.txt" "$out/$p.hl.txt"; then
      result="DIFFERENT OUTPUT: hlsharp '$result' hl '$(tr '\n' ' ' <"$out/$p.hl.txt")'"
      status=1
    fi
    ratio=$(awk -v a="$hms" -v b="$ms" 'BEGIN { printf "%.2f", a / b }')
    printf '%-10s %12s %12s %12s %10s  %s\n' "$p" "$ms" "$cms" "$hms" "$ratio" "$result"
  else
    printf '%-10s %12s %12s %12s %10s  %s\n' "$p" "$ms" "$cms" - - "$result"
  fi
  result=""
done
exit $status
