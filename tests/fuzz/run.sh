#!/bin/sh
# Builds the libFuzzer targets with clang (ASan + UBSan) and runs one for a given time.
# Usage: tests/fuzz/run.sh TARGET SECONDS [extra libFuzzer flags]   (TARGET: ingest, config, template)
# Findings are written to build-fuzz/findings-TARGET/; the corpus grows in tests/fuzz/corpus/TARGET.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
target=${1:?usage: run.sh TARGET SECONDS}
seconds=${2:?usage: run.sh TARGET SECONDS}
shift 2
out="$top/build-fuzz"
mkdir -p "$out/findings-$target"
pkgs="glib-2.0 json-glib-1.0 fontconfig libcrypto xlsxwriter"
# The library sources are compiled with coverage instrumentation; the target adds the fuzzer main.
clang -std=c11 -D_POSIX_C_SOURCE=200809L -g -O1 -fno-omit-frame-pointer \
    -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
    -I"$top/include" -I"$top/src" $(pkg-config --cflags $pkgs) \
    "$top"/src/catalog.c "$top"/src/csvread.c "$top"/src/error.c "$top"/src/idset.c "$top"/src/ini.c \
    "$top"/src/ingest.c "$top"/src/text.c "$top"/src/model.c "$top"/src/config.c \
    "$top"/src/metrics.c "$top"/src/run.c "$top"/src/template.c "$top"/src/report_blocks.c "$top"/src/report_charts.c \
    "$top"/src/report_front.c \
    "$top"/src/output.c "$top"/src/inputs.c "$top"/src/tpl_width.c "$top"/src/render_pdf.c \
    "$top"/src/render_palette.c \
    "$top/tests/fuzz/fuzz_$target.c" "$top/tests/fuzz/common.c" \
    $(pkg-config --libs $pkgs) -lcsv -lhpdf -lm -o "$out/fuzz_$target"
export OBSERVA_PLANTILLAS="$top/templates" OBS_TEST_SOURCE_ROOT="$top"
exec "$out/fuzz_$target" "$top/tests/fuzz/corpus/$target" \
    -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
    -artifact_prefix="$out/findings-$target/" -print_final_stats=1 "$@"
