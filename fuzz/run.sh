#!/bin/sh
# Builds the fuzz targets and runs each for 60 s (or $FUZZ_SECONDS).
# Needs the nightly toolchain and cargo-fuzz (`cargo install cargo-fuzz`).
# -detect_leaks=0: chumsky's recursive parsers are reference cycles by design.
# A crash leaves its input in fuzz/artifacts/<target>/: turn it into a
# regression test (tests/bad_input.rs or tests/gen_programs.rs) and fix it.
set -eu
cd "$(dirname "$0")/.."
seconds="${FUZZ_SECONDS:-60}"
# Leaks are not bugs here (see above); without this the run "fails" at exit.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=0}"
cargo +nightly fuzz build
for target in frontend pipeline checkpoint; do
    mkdir -p "fuzz/corpus/$target"
    if [ "$target" = frontend ]; then
        # Seed the front end with the examples and the conformance programs.
        cp examples/*.myco tests/conformance/*.myco "fuzz/corpus/$target/" 2>/dev/null || true
    fi
    if [ "$target" = checkpoint ]; then
        # Seed with real payloads (the 24-byte header stripped) of the colony
        # at a few ticks.
        cargo build --release --quiet
        for ticks in 0 3 40; do
            target/release/myco run tests/checkpoint/colony.myco --ticks "$ticks" \
                --checkpoint "fuzz/corpus/checkpoint/.full" >/dev/null 2>&1
            tail -c +25 "fuzz/corpus/checkpoint/.full" >"fuzz/corpus/checkpoint/colony-$ticks"
        done
        rm -f "fuzz/corpus/checkpoint/.full"
    fi
    cargo +nightly fuzz run "$target" "fuzz/corpus/$target" -- \
        -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=2048 -detect_leaks=0
done
