#!/usr/bin/env bash
# Whole-program benchmarks: runs each Haxe program under hlsharp and, where a HashLink `hl` is
# available (on PATH, or named by HL=/path/to/hl), under hl in the same run, checks that both
# print the same result, and prints the wall times and their ratio (best of RUNS runs each).
#
#   bench/programs/run.sh [program ...]        RUNS=5 HL=/path/to/hl bench/programs/run.sh fib
#
# hlsharp_ms compiles as it runs (HLSHARP_CACHE=off); cached_ms loads the program compiled ahead
# of time, as IL, from a cache the first of its runs fills (hlsharp run's cache, with
# HLSHARP_CROSSGEN2=off), and is the best of the others; r2r_ms is the same with the cache's
# ReadyToRun step (machine code), "-" when no crossgen2 is found (see the README's run cache).
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
r2r_cache="$out/cache-r2r"
rm -rf "$cache" "$r2r_cache"

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
printf '%-10s %12s %12s %12s %12s %10s  %s\n' program hlsharp_ms cached_ms r2r_ms hl_ms hl/hlsharp result
status=0
for p in "${programs[@]}"; do
  haxe -cp "$here/$p" -main Main -hl "$out/$p.hl"
  ms=$(HLSHARP_CACHE=off best_ms "$out/$p.hlsharp.txt" "${hlsharp[@]}" "$out/$p.hl")
  HLSHARP_CACHE="$cache" HLSHARP_CROSSGEN2=off "${hlsharp[@]}" "$out/$p.hl" >/dev/null   # fills the cache
  cms=$(HLSHARP_CACHE="$cache" HLSHARP_CROSSGEN2=off best_ms "$out/$p.cached.txt" "${hlsharp[@]}" "$out/$p.hl")
  HLSHARP_CACHE="$r2r_cache" "${hlsharp[@]}" "$out/$p.hl" >/dev/null   # fills it, compiled by crossgen2 if one is found
  rms=-
  if compgen -G "$r2r_cache/*/ready-to-run.txt" >/dev/null; then
    rms=$(HLSHARP_CACHE="$r2r_cache" best_ms "$out/$p.r2r.txt" "${hlsharp[@]}" "$out/$p.hl")
    if ! cmp -s "$out/$p.hlsharp.txt" "$out/$p.r2r.txt"; then
      result="DIFFERENT OUTPUT ReadyToRun: '$(tr '\n' ' ' <"$out/$p.r2r.txt")'"
      status=1
    fi
  fi
  rm -rf "$r2r_cache"
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
    printf '%-10s %12s %12s %12s %12s %10s  %s\n' "$p" "$ms" "$cms" "$rms" "$hms" "$ratio" "$result"
  else
    printf '%-10s %12s %12s %12s %12s %10s  %s\n' "$p" "$ms" "$cms" "$rms" - - "$result"
  fi
  result=""
done
exit $status
