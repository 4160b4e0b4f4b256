#!/usr/bin/env bash
# Browser test of the HTML replay (`myco run --record`): records
# examples/ecosystem.myco, opens it in headless Chromium (playwright-core),
# checks the cells drawn at the first and last tick against --dump-json,
# moves the slider, clicks a cell, reads its panel, and saves
# target/replay.png. Run from anywhere: tests/browser/run.sh
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"

if [ ! -x /usr/bin/chromium ]; then
  apt-get update
  apt-get install -y chromium
fi
if [ ! -d "$here/node_modules/playwright-core" ]; then
  (cd "$here" && npm install --no-audit --no-fund)
fi

cargo build --bin myco
myco="$root/target/debug/myco"
out="$root/target/browser"
mkdir -p "$out"
ticks=60
"$myco" run examples/ecosystem.myco --ticks 0 --dump-json "$out/first.json" > /dev/null
"$myco" run examples/ecosystem.myco --ticks "$ticks" --dump-json "$out/last.json" \
  --record "$out/replay.html" > /dev/null
node "$here/replay_test.mjs" "$out/replay.html" "$out/first.json" "$out/last.json" "$root/target/replay.png"

# A moving crowd (2,000 grazers): positions are replayed from deltas.
"$myco" run examples/chemotaxis.myco --ticks 0 --dump-json "$out/chemo-first.json" > /dev/null
"$myco" run examples/chemotaxis.myco --ticks 30 --dump-json "$out/chemo-last.json" \
  --record "$out/chemo.html" > /dev/null
node "$here/replay_test.mjs" "$out/chemo.html" "$out/chemo-first.json" "$out/chemo-last.json" "$root/target/replay-chemotaxis.png"
