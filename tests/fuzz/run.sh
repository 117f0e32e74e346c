#!/bin/sh
# Builds the libFuzzer targets (meson -Dfuzz=true, clang, ASan + UBSan) and runs one for a given time.
# Usage: tests/fuzz/run.sh TARGET SECONDS [extra libFuzzer flags]   (TARGET: ingest, split, xlsx, config, template)
# Findings are written to build-fuzz/findings-TARGET/; the corpus grows in tests/fuzz/corpus/TARGET.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
target=${1:?usage: run.sh TARGET SECONDS}
seconds=${2:?usage: run.sh TARGET SECONDS}
shift 2
out="$top/build-fuzz"
if [ ! -f "$out/build.ninja" ]; then
    CC=clang meson setup "$out" "$top" -Dfuzz=true -Db_sanitize=address,undefined -Db_lundef=false \
        -Dbuildtype=debugoptimized >/dev/null
fi
ninja -C "$out" "tests/fuzz_$target" >/dev/null
mkdir -p "$out/findings-$target"
export OBSERVA_PLANTILLAS="$top/templates" OBS_TEST_SOURCE_ROOT="$top"
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
# fontconfig's one pattern per process (tests/lsan.supp) is not observa's leak.
export LSAN_OPTIONS="suppressions=$top/tests/lsan.supp"
exec "$out/tests/fuzz_$target" "$top/tests/fuzz/corpus/$target" \
    -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
    -artifact_prefix="$out/findings-$target/" -print_final_stats=1 "$@"
