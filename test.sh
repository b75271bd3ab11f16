#!/usr/bin/env bash
# The project's test command: makes sure the Haxe compiler is here (the tests compile Haxe
# fixtures with it), builds and runs every test in HlSharp.sln, and ends with one line,
# "tests: N passed, N failed, N skipped". Exits non-zero when the build fails, a test fails,
# or no test ran.
#
# Set HLSHARP_ASSUME_NO_HAXE=1 to take the install path even when haxe is present (apt-get then
# finds it installed and changes nothing): that is how the install step is tried on a machine
# that already has haxe.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")"

step() { printf '\n==> %s\n' "$*"; }
fail() { printf '\ntest.sh: %s\n' "$*" >&2; exit 1; }

export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1

# --- the Haxe compiler --------------------------------------------------------------------------
# Debian's package (4.2.5, bytecode version 4) is the compiler the fixtures and the committed
# sample are built with, so that is the one installed.
install_haxe() {
    command -v apt-get >/dev/null || fail "haxe is not installed and there is no apt-get here: install Haxe 4.2.5 yourself"
    local sudo=()
    if [[ $(id -u) -ne 0 ]]; then
        command -v sudo >/dev/null || fail "haxe is not installed, and installing it needs root or sudo"
        sudo=(sudo)
    fi
    # stdin from /dev/null and noninteractive: CI has no terminal, and nothing may stop to ask.
    ${sudo[@]+"${sudo[@]}"} env DEBIAN_FRONTEND=noninteractive apt-get update -q </dev/null
    ${sudo[@]+"${sudo[@]}"} env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends haxe </dev/null
    hash -r
}

step "Checking for the Haxe compiler (haxe)"
if [[ "${HLSHARP_ASSUME_NO_HAXE:-}" == 1 ]] || ! command -v haxe >/dev/null; then
    [[ "${HLSHARP_ASSUME_NO_HAXE:-}" == 1 ]] && echo "(HLSHARP_ASSUME_NO_HAXE=1: acting as if haxe were missing)"
    echo "haxe not found: installing Debian's haxe package with apt-get"
    install_haxe
fi
command -v haxe >/dev/null || fail "haxe is still not on PATH after installing it"
haxe_version=$(haxe --version 2>&1) || fail "\`haxe --version\` failed: $haxe_version"
echo "haxe $haxe_version at $(command -v haxe)"
# Other versions compile the same sources to different bytecode, which the sample's staleness
# test and some reader tests notice.
[[ "$haxe_version" == 4.2.5 ]] || echo "warning: the tests expect Haxe 4.2.5 (Debian 12's package); with $haxe_version some may fail"

command -v dotnet >/dev/null || fail "dotnet is not on PATH: install the .NET 10 SDK"

# --- build and test ------------------------------------------------------------------------------
# Each test project writes a TRX file into a fresh results folder; the summary adds them up, so
# it counts what actually ran rather than trusting the exit code alone.
results=.cache/test-results
rm -rf "$results"
mkdir -p "$results"

# Build the whole solution first: `dotnet test` alone builds only what the test projects
# reference, and the CLI and the benchmarks must keep compiling too.
step "Building everything: dotnet build HlSharp.sln -c Release"
if ! dotnet build HlSharp.sln -c Release --nologo </dev/null; then
    step "Summary"
    echo "tests: 0 passed, 0 failed"
    fail "the build failed (the errors are listed above), so no test ran"
fi

step "Running the tests: dotnet test HlSharp.sln -c Release"
status=0
dotnet test HlSharp.sln -c Release --no-build --nologo \
    --logger "console;verbosity=minimal" \
    --logger trx \
    --results-directory "$results" </dev/null || status=$?

# --- summary -------------------------------------------------------------------------------------
# Reads <Counters total=".." passed=".." failed=".." .../> from each TRX file with grep and sed
# only (CI may have no python). A skipped test is in total but not in executed (VSTest leaves
# the notExecuted counter at 0 for it).
counter() { # counter FILE NAME: the attribute's value, 0 when it is absent
    local value
    value=$(grep -o '<Counters [^>]*>' "$1" | sed -n "s/.* $2=\"\([0-9]*\)\".*/\1/p" | head -n 1) || true
    echo "${value:-0}"
}
passed=0 failed=0 skipped=0 files=0
shopt -s nullglob
for trx in "$results"/*.trx "$results"/*/*.trx; do
    files=$((files + 1))
    passed=$((passed + $(counter "$trx" passed)))
    for name in failed error timeout aborted; do
        failed=$((failed + $(counter "$trx" "$name")))
    done
    skipped=$((skipped + $(counter "$trx" total) - $(counter "$trx" executed)))
done

step "Summary"
echo "tests: $passed passed, $failed failed, $skipped skipped"

if ((failed > 0)); then
    fail "$failed test(s) failed (the failures are listed above)"
elif ((status != 0)); then
    fail "dotnet test exited with $status: the test run stopped early (see above)"
elif ((files == 0 || passed == 0)); then
    fail "no test ran"
fi
