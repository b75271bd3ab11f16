#!/usr/bin/env bash
# Rebuilds the committed Haxe 4.3 fixtures: for each folder here (or the ones named), runs the 4.3
# compiler on its build.hxml inside the folder, which writes main.hl, and records the hash of the
# sources it was built from in source.sha256. CI has only Debian's Haxe 4.2.5, so these .hl files
# are committed; the tests check them against that hash, and against a fresh build when HAXE_4_3
# names a 4.3 compiler.
#
#   HAXE_4_3=/path/to/haxe-4.3.6/haxe tests/fixtures43/build.sh [Name ...]
#
# A 4.3 compiler is built from source with ../shared/tools/build-haxe-4.3.sh or any other way.
# expected.txt is not written here: it is what HashLink's `hl main.hl` prints, recorded by hand.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
haxe=${HAXE_4_3:?set HAXE_4_3 to the Haxe 4.3 compiler}
version=$("$haxe" --version)
[[ $version == 4.3.* ]] || { echo "build.sh: $haxe is Haxe $version, not 4.3" >&2; exit 1; }

# The hash: SHA-256 of the lines "<sha256 of file>  <path>" for every file of the folder but the
# outputs, in byte order of path (the C# test computes the same).
source_hash() {
    (cd "$1" && find . -type f ! -name main.hl ! -name expected.txt ! -name source.sha256 -printf '%P\n' \
        | LC_ALL=C sort | while IFS= read -r f; do printf '%s  %s\n' "$(sha256sum < "$f" | cut -d' ' -f1)" "$f"; done) \
        | sha256sum | cut -d' ' -f1
}

if [[ $# -eq 0 ]]; then
    set -- $(cd "$here" && find . -mindepth 2 -maxdepth 2 -name build.hxml -printf '%h\n' | sed 's|^\./||' | LC_ALL=C sort)
fi
for name in "$@"; do
    dir=$here/$name
    [[ -f $dir/build.hxml ]] || { echo "build.sh: $dir has no build.hxml" >&2; exit 1; }
    (cd "$dir" && "$haxe" build.hxml)
    source_hash "$dir" > "$dir/source.sha256"
    echo "$name: main.hl ($(stat -c %s "$dir/main.hl") bytes), source $(cat "$dir/source.sha256")"
done
