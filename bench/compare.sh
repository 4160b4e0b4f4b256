#!/usr/bin/env bash
# Myco against its peers, side by side in one run (see docs/performance.md).
#
#   bench/compare.sh              install what is missing, then the full comparison
#   bench/compare.sh --smoke      small sizes: every workload compiles and gives the same
#                                 result on each system (installing what is missing,
#                                 as .ci/run does; add --no-install for seconds)
#   bench/compare.sh --scaling    cost per cell-tick of the chemotaxis ecosystem from
#                                 1,000 to 1,000,000 grazers, 1 and 2 threads
#   options: --runs N (timed runs per measurement, default 5), --no-install,
#            --only interp|chemotaxis (one half of the full comparison)
#
# Peers: Lua 5.4 (Debian's lua5.4), Rhai (bench/rhai, a tiny crate outside the
# workspace), Mesa 3 (PyPI, in bench/.venv; Mesa >= 3.4 needs Python >= 3.12).
# A peer that is not installed and cannot be installed is skipped with a message.
# Times are medians of whole-process wall times (start-up included), runs
# interleaved so the machine's noise hits every system alike; read the ratios.
set -u -o pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH=$ROOT/bench
WL=$BENCH/workloads
WORK=$BENCH/.work
VENV=$BENCH/.venv
MYCO=$ROOT/target/release/myco
RHAI=$BENCH/rhai/target/release/myco-bench-rhai

MODE=full
RUNS=5
INSTALL=1
ONLY=
while [ $# -gt 0 ]; do
    case "$1" in
        --smoke) MODE=smoke ;;
        --scaling) MODE=scaling ;;
        --runs) RUNS=$2; shift ;;
        --no-install) INSTALL=0 ;;
        --only) ONLY=$2; shift ;;
        -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
        *) echo "compare.sh: unknown argument $1" >&2; exit 2 ;;
    esac
    shift
done
mkdir -p "$WORK"

say() { echo "compare.sh: $*" >&2; }
FAILED=0
fail() { say "MISMATCH: $*"; FAILED=1; }

# ---------------------------------------------------------------- installs

build_myco() {
    if [ "$MODE" = smoke ] && [ -x "$MYCO" ]; then
        # Rebuild only if cargo thinks it is stale; quiet either way.
        (cd "$ROOT" && cargo build --release --quiet --bin myco) || return 1
    else
        say "building myco (release)"
        (cd "$ROOT" && cargo build --release --quiet --bin myco) || return 1
    fi
}

LUA=
setup_lua() {
    LUA=$(command -v lua5.4 || true)
    if [ -z "$LUA" ] && [ "$INSTALL" = 1 ]; then
        say "installing lua5.4 with apt-get"
        if [ "$(id -u)" = 0 ]; then
            { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq lua5.4; } >"$WORK/apt.log" 2>&1
        else
            { sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq lua5.4; } >"$WORK/apt.log" 2>&1
        fi
        LUA=$(command -v lua5.4 || true)
    fi
    [ -n "$LUA" ] || say "skipping Lua 5.4: lua5.4 is not installed (see $WORK/apt.log)"
}

setup_rhai() {
    if [ "$INSTALL" = 1 ]; then
        say "building bench/rhai (release)"
        if ! (cd "$BENCH/rhai" && cargo build --release --quiet) >"$WORK/rhai.log" 2>&1; then
            say "skipping Rhai: bench/rhai did not build (see $WORK/rhai.log)"
            RHAI=
            return
        fi
    fi
    if [ ! -x "$RHAI" ]; then
        say "skipping Rhai: $RHAI is not built"
        RHAI=
    fi
}

# A Python >= 3.12 (Mesa >= 3.4 needs it): on the PATH, under pyenv or uv.
# A candidate counts only if it runs and is new enough (a pyenv shim for a
# version that is not selected is on the PATH but fails).
python_ok() {
    "$1" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' >/dev/null 2>&1
}
find_python() {
    local p
    for p in python3.14 python3.13 python3.12; do
        if command -v "$p" >/dev/null 2>&1 && python_ok "$p"; then command -v "$p"; return 0; fi
    done
    for p in "$HOME"/.pyenv/versions/3.1[2-9]*/bin/python3 /root/.pyenv/versions/3.1[2-9]*/bin/python3; do
        if [ -x "$p" ] && python_ok "$p"; then echo "$p"; return 0; fi
    done
    if command -v uv >/dev/null 2>&1; then
        p=$(uv python find '>=3.12' 2>/dev/null || true)
        if [ -n "$p" ]; then echo "$p"; return 0; fi
    fi
    return 1
}

MESA_PY=
setup_mesa() {
    if [ -x "$VENV/bin/python" ] && "$VENV/bin/python" -c 'import mesa, networkx' >/dev/null 2>&1; then
        MESA_PY=$VENV/bin/python
    elif [ "$INSTALL" = 1 ]; then
        local py
        if ! py=$(find_python); then
            py=$(command -v python3 || true)
            [ -n "$py" ] && say "no Python >= 3.12 found: using $py (pip will pick an older Mesa)"
        fi
        if [ -z "$py" ]; then
            say "skipping Mesa: no python3"
            return
        fi
        say "installing mesa[network] into bench/.venv with $py"
        rm -rf "$VENV"
        if "$py" -m venv "$VENV" >"$WORK/pip.log" 2>&1 &&
            "$VENV/bin/pip" install -q 'mesa[network]' >>"$WORK/pip.log" 2>&1 &&
            "$VENV/bin/python" -c 'import mesa, networkx' >>"$WORK/pip.log" 2>&1; then
            MESA_PY=$VENV/bin/python
        fi
    fi
    if [ -z "$MESA_PY" ]; then
        say "skipping Mesa: not installed in bench/.venv (see $WORK/pip.log)"
    else
        MESA_VERSION=$("$MESA_PY" -c 'import mesa; print(mesa.__version__)' 2>/dev/null)
    fi
}

# ---------------------------------------------------------------- timing

now_ns() { date +%s%N; }

# median of the numbers on stdin
median() { sort -g | awk '{a[NR]=$1} END {if (NR==0) {print "nan"} else if (NR%2) {print a[(NR+1)/2]} else {print (a[NR/2]+a[NR/2+1])/2}}'; }

# run_timed NAME CMD...: runs CMD once, appends its wall seconds to $WORK/NAME.times,
# keeps its stdout in $WORK/NAME.out and stderr in $WORK/NAME.err.
run_timed() {
    local name=$1; shift
    local t0 t1
    t0=$(now_ns)
    "$@" >"$WORK/$name.out" 2>"$WORK/$name.err"
    local rc=$?
    t1=$(now_ns)
    echo "$t0 $t1" | awk '{printf "%.6f\n", ($2-$1)/1e9}' >>"$WORK/$name.times"
    return $rc
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0 && a == a + 0) printf "%.2f", a / b; else printf "-" }'; }

# The summary's seconds (the ticks only) from a `myco run` stderr.
myco_tick_seconds() { awk '/ticks\/s/ { print $NF == "s" ? $(NF-1) : $NF }' "$1"; }
myco_alive() { awk '/ alive / { for (i = 1; i < NF; i++) if ($i == "alive") print $(i+1) }' "$1"; }

# ---------------------------------------------------------------- workloads

# Workload variants: the full ones, or small ones for --smoke.
prepare_workloads() {
    local w
    if [ "$MODE" = smoke ]; then
        FIB_EXPECT=6765
        LOOP_N=100000
        for w in fib.myco fib.lua fib.rhai; do sed 's/fib(30)/fib(20)/' "$WL/$w" >"$WORK/$w"; done
        for w in loop.myco loop.lua loop.rhai; do sed "s/10000000/$LOOP_N/" "$WL/$w" >"$WORK/$w"; done
        # s = (s + i*i) % 1000003 for i < LOOP_N, computed independently here.
        LOOP_EXPECT=$(awk -v n=$LOOP_N 'BEGIN { s = 0; for (i = 0; i < n; i++) s = (s + i * i) % 1000003; print s }')
    else
        FIB_EXPECT=832040
        LOOP_EXPECT=990548
        for w in fib.myco fib.lua fib.rhai loop.myco loop.lua loop.rhai; do cp "$WL/$w" "$WORK/$w"; done
    fi
}

# chemotaxis_myco N: writes $WORK/chemotaxis_N.myco
chemotaxis_myco() {
    sed "s/^const GRAZERS: int = [0-9]*;/const GRAZERS: int = $1;/" "$WL/chemotaxis.myco" >"$WORK/chemotaxis_$1.myco"
}

MAXI=(--max-instructions 1000000000)

# ---------------------------------------------------------------- interpreters

compare_interp() {
    local w expect systems s name r
    printf '\n| workload | system | median s | ratio to Lua 5.4 | ratio Rhai / Myco |\n| --- | --- | ---: | ---: | ---: |\n'
    for w in fib loop; do
        if [ $w = fib ]; then expect=$FIB_EXPECT; else expect=$LOOP_EXPECT; fi
        systems=(myco)
        [ -n "$LUA" ] && systems+=(lua)
        [ -n "$RHAI" ] && systems+=(rhai)
        for s in "${systems[@]}"; do rm -f "$WORK/$w.$s.times"; done
        for ((r = 0; r < RUNS; r++)); do
            for s in "${systems[@]}"; do
                name=$w.$s
                case $s in
                    myco) run_timed "$name" "$MYCO" run "$WORK/$w.myco" --ticks 1 "${MAXI[@]}" ;;
                    lua) run_timed "$name" "$LUA" "$WORK/$w.lua" ;;
                    rhai) run_timed "$name" "$RHAI" "$WORK/$w.rhai" ;;
                esac
                local got
                got=$(tr -d '[:space:]' <"$WORK/$name.out")
                [ "$got" = "$expect" ] || fail "$w on $s printed '$got', expected $expect (see $WORK/$name.err)"
            done
        done
        local tm tl tr
        tm=$(median <"$WORK/$w.myco.times")
        tl=$([ -n "$LUA" ] && median <"$WORK/$w.lua.times" || echo -)
        tr=$([ -n "$RHAI" ] && median <"$WORK/$w.rhai.times" || echo -)
        printf '| %s → %s | Myco (metered) | %s | %s | %s |\n' "$w" "$expect" "$tm" "$(ratio "$tm" "$tl")" "$(ratio "$tr" "$tm")"
        [ -n "$LUA" ] && printf '| | Lua 5.4 | %s | 1.00 | |\n' "$tl"
        [ -n "$RHAI" ] && printf '| | Rhai | %s | %s | |\n' "$tr" "$(ratio "$tr" "$tl")"
    done
}

# ---------------------------------------------------------------- chemotaxis

compare_chemotaxis() {
    local sizes=("$@") n steps=20 r t
    printf '\n| grazers | system | median s (%d steps, set-up excluded) | agent-steps/s | Myco / Mesa |\n| ---: | --- | ---: | ---: | ---: |\n' $steps
    for n in "${sizes[@]}"; do
        chemotaxis_myco "$n"
        local cells=$((n + n / 10))
        for t in 1 2; do rm -f "$WORK/chemo$n.t$t.secs"; done
        rm -f "$WORK/chemo$n.mesa.secs"
        local mesa_runs=$RUNS
        [ "$n" -ge 10000 ] && mesa_runs=1
        [ "$MODE" = smoke ] && mesa_runs=1
        for ((r = 0; r < RUNS; r++)); do
            for t in 1 2; do
                run_timed "chemo$n.t$t" "$MYCO" run "$WORK/chemotaxis_$n.myco" --ticks $steps --threads $t ||
                    fail "myco chemotaxis $n exited non-zero"
                myco_tick_seconds "$WORK/chemo$n.t$t.err" >>"$WORK/chemo$n.t$t.secs"
                local alive
                alive=$(myco_alive "$WORK/chemo$n.t$t.err")
                [ "$alive" = "$cells" ] || fail "Myco chemotaxis $n: $alive cells alive, expected $cells"
            done
            if [ -n "$MESA_PY" ] && [ "$r" -lt "$mesa_runs" ]; then
                run_timed "chemo$n.mesa" "$MESA_PY" "$WL/chemotaxis_mesa.py" "$n" $steps ||
                    fail "Mesa chemotaxis $n exited non-zero (see $WORK/chemo$n.mesa.err)"
                awk '{ for (i = 1; i < NF; i++) if ($i == "seconds") print $(i+1) }' "$WORK/chemo$n.mesa.out" >>"$WORK/chemo$n.mesa.secs"
                local agents msteps
                agents=$(awk '{ print $2 }' "$WORK/chemo$n.mesa.out")
                msteps=$(awk '{ print $4 }' "$WORK/chemo$n.mesa.out")
                [ "$agents" = "$cells" ] && [ "$msteps" = "$steps" ] ||
                    fail "Mesa chemotaxis $n: '$agents' agents / '$msteps' steps, expected $cells / $steps"
            fi
        done
        local s1 s2 sm rate1 rate2 ratem
        s1=$(median <"$WORK/chemo$n.t1.secs")
        s2=$(median <"$WORK/chemo$n.t2.secs")
        rate1=$(awk -v n="$n" -v s=$steps -v t="$s1" 'BEGIN { printf "%.0f", n * s / t }')
        rate2=$(awk -v n="$n" -v s=$steps -v t="$s2" 'BEGIN { printf "%.0f", n * s / t }')
        if [ -n "$MESA_PY" ]; then
            sm=$(median <"$WORK/chemo$n.mesa.secs")
            ratem=$(awk -v n="$n" -v s=$steps -v t="$sm" 'BEGIN { printf "%.0f", n * s / t }')
        else
            sm=-; ratem=-
        fi
        printf '| %d | Myco, 1 thread | %s | %s | %s |\n' "$n" "$s1" "$rate1" "$(ratio "$rate1" "$ratem")"
        printf '| %d | Myco, 2 threads | %s | %s | %s |\n' "$n" "$s2" "$rate2" "$(ratio "$rate2" "$ratem")"
        [ -n "$MESA_PY" ] && printf '| %d | Mesa %s ContinuousSpace | %s | %s | 1.00 |\n' "$n" "$MESA_VERSION" "$sm" "$ratem"
    done
}

# ---------------------------------------------------------------- scaling

scaling() {
    local ticks=10 n t r
    printf '\n| grazers | cells | threads | median s (%d ticks) | ns per cell-tick | ticks/s |\n| ---: | ---: | ---: | ---: | ---: | ---: |\n' $ticks
    for n in 1000 10000 100000 1000000; do
        chemotaxis_myco "$n"
        local cells=$((n + n / 10)) runs=$RUNS
        [ "$n" -ge 1000000 ] && runs=1
        for t in 1 2; do
            rm -f "$WORK/scale$n.t$t.secs"
            for ((r = 0; r < runs; r++)); do
                run_timed "scale$n.t$t" "$MYCO" run "$WORK/chemotaxis_$n.myco" --ticks $ticks --threads $t ||
                    fail "myco chemotaxis $n exited non-zero"
                myco_tick_seconds "$WORK/scale$n.t$t.err" >>"$WORK/scale$n.t$t.secs"
            done
            local s
            s=$(median <"$WORK/scale$n.t$t.secs")
            awk -v n="$n" -v c="$cells" -v t="$t" -v k=$ticks -v s="$s" \
                'BEGIN { printf "| %d | %d | %d | %s | %.0f | %.1f |\n", n, c, t, s, s * 1e9 / (c * k), k / s }'
        done
    done
}

# ---------------------------------------------------------------- main

build_myco || { say "myco did not build"; exit 1; }
case $MODE in
    scaling)
        echo "# Myco chemotaxis scaling, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores"
        scaling
        ;;
    smoke)
        RUNS=1
        setup_lua; setup_rhai; setup_mesa
        prepare_workloads
        compare_interp >/dev/null
        compare_chemotaxis 100 >/dev/null
        if [ $FAILED = 0 ]; then
            say "smoke: all workloads agree (myco${LUA:+, lua}${RHAI:+, rhai}${MESA_PY:+, mesa})"
        fi
        ;;
    full)
        setup_lua; setup_rhai; setup_mesa
        prepare_workloads
        echo "# Myco vs peers, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, median of $RUNS runs"
        echo "# $("$MYCO" --version 2>/dev/null || echo myco); ${LUA:+$("$LUA" -v 2>&1 | head -1); }${MESA_VERSION:+Mesa $MESA_VERSION}"
        [ "$ONLY" = chemotaxis ] || compare_interp
        [ "$ONLY" = interp ] || compare_chemotaxis 1000 10000
        ;;
esac
exit $FAILED
