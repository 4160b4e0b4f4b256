// Opens a replay page written by `myco run --record` in headless Chromium and
// checks it against the run's dumps:
//   node replay_test.mjs REPLAY.html DUMP_FIRST.json DUMP_LAST.json SCREENSHOT.png
// DUMP_FIRST is `--dump-json` of the same program run for 0 ticks (the first
// recorded frame), DUMP_LAST of the recorded run itself (the last frame).
import { chromium } from "playwright-core";
import { readFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

const [replayPath, firstDumpPath, lastDumpPath, screenshotPath] = process.argv.slice(2);
if (!screenshotPath) {
  console.error("usage: node replay_test.mjs REPLAY.html DUMP_FIRST.json DUMP_LAST.json SCREENSHOT.png");
  process.exit(2);
}
const firstDump = JSON.parse(readFileSync(firstDumpPath, "utf8"));
const lastDump = JSON.parse(readFileSync(lastDumpPath, "utf8"));

let failures = 0;
function check(ok, what) {
  console.log(`${ok ? "ok  " : "FAIL"} ${what}`);
  if (!ok) failures++;
}

const userDataDir = mkdtempSync(join(tmpdir(), "myco-chromium-"));
const context = await chromium.launchPersistentContext(userDataDir, {
  executablePath: "/usr/bin/chromium",
  headless: true,
  viewport: { width: 1280, height: 820 },
  args: [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
  ],
});
try {
  const page = context.pages()[0] || (await context.newPage());
  // The page must not fetch anything: fail any request that is not the file itself.
  const external = [];
  page.on("request", (req) => {
    if (!req.url().startsWith("file:") && !req.url().startsWith("data:")) external.push(req.url());
  });
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.goto(pathToFileURL(resolve(replayPath)).href);
  await page.waitForFunction(() => document.body.dataset.ready === "1", null, { timeout: 15000 });

  const frameCount = await page.evaluate(() => window.mycoReplay.frameCount);
  const ticks = await page.evaluate(() => window.mycoReplay.ticks);
  check(frameCount === lastDump.tick + 1, `frames ${frameCount} = ticks 0..${lastDump.tick}`);

  // First and last frames: cells drawn = cells in the dumps.
  await page.evaluate(() => window.mycoReplay.seek(0));
  const drawnFirst = Number(await page.evaluate(() => document.body.dataset.cellsDrawn));
  check(ticks[0] === firstDump.tick, `first frame is tick ${firstDump.tick}`);
  check(drawnFirst === firstDump.cells.length,
    `cells drawn at tick ${ticks[0]}: ${drawnFirst} = ${firstDump.cells.length} in the dump`);
  await page.evaluate((n) => window.mycoReplay.seek(n - 1), frameCount);
  const drawnLast = Number(await page.evaluate(() => document.body.dataset.cellsDrawn));
  check(drawnLast === lastDump.cells.length,
    `cells drawn at tick ${lastDump.tick}: ${drawnLast} = ${lastDump.cells.length} in the dump`);
  const idsLast = await page.evaluate(() => window.mycoReplay.cellIds().sort((a, b) => a - b));
  check(JSON.stringify(idsLast) === JSON.stringify(lastDump.cells.map((c) => c.id)),
    "the last frame's cell ids are the dump's");
  // Positions are stored to 0.1 unit (moves as deltas): each within 0.05.
  const posErr = await page.evaluate((cells) => {
    let worst = 0;
    for (const c of cells) {
      const p = window.mycoReplay.cellPos(c.id);
      if (!p) return Infinity;
      worst = Math.max(worst, Math.abs(p[0] - c.pos[0]), Math.abs(p[1] - c.pos[1]));
    }
    return worst;
  }, lastDump.cells);
  check(posErr <= 0.0501, `last frame positions match the dump (worst error ${posErr})`);

  // Move the slider with the mouse: the tick shown follows.
  const slider = page.locator("#slider");
  const box = await slider.boundingBox();
  await page.mouse.click(box.x + box.width * 0.5, box.y + box.height / 2);
  const midFrame = Number(await page.evaluate(() => document.body.dataset.frame));
  check(midFrame > 0 && midFrame < frameCount - 1, `slider moved to frame ${midFrame}`);
  await page.keyboard.press("ArrowRight");
  const nextFrame = Number(await page.evaluate(() => document.body.dataset.frame));
  check(nextFrame === midFrame + 1, "arrow key steps one frame");

  // Back to the last frame; click a cell and read its panel.
  await page.evaluate((n) => window.mycoReplay.seek(n - 1), frameCount);
  const target = lastDump.cells[lastDump.cells.length - 1];
  const pos = await page.evaluate((id) => window.mycoReplay.cellClientPos(id), target.id);
  check(pos !== null, `cell #${target.id} is on screen`);
  if (pos) {
    await page.mouse.click(pos.x, pos.y);
    const panel = await page.locator("#panel").innerText();
    const selected = await page.evaluate(() => document.getElementById("panel").dataset.cell);
    check(selected === String(target.id), `clicking selects #${target.id} (got ${selected})`);
    check(panel.includes(`#${target.id}`) && panel.includes(target.kind), "panel names the cell and its kind");
    check(panel.includes("energy") && panel.includes("W/E") && panel.includes("asleep"),
      "panel shows energy, W/E and sleep state");
    const energy = target.energy;
    const shown = panel.match(/energy\s+([-0-9.e+]+)/);
    check(shown && Math.abs(parseFloat(shown[1]) - energy) <= 1e-3 * Math.max(1, Math.abs(energy)),
      `panel energy ${shown && shown[1]} = dump ${energy}`);
    for (const field of Object.keys(target.fields)) {
      check(panel.includes("." + field), `panel shows field .${field}`);
    }
  }
  check(errors.length === 0, `no page errors ${errors.join("; ")}`);
  check(external.length === 0, `no network requests ${external.join(" ")}`);
  await page.screenshot({ path: screenshotPath });
  console.log(`screenshot: ${screenshotPath}`);
} finally {
  await context.close();
  rmSync(userDataDir, { recursive: true, force: true });
}
if (failures) {
  console.error(`${failures} check(s) failed`);
  process.exit(1);
}
console.log("replay browser test passed");
