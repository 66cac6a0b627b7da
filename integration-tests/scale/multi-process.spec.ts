import { execFileSync, spawn, type ChildProcess } from "node:child_process"
import { randomUUID } from "node:crypto"
import { appendFileSync, createWriteStream, existsSync, mkdirSync, readFileSync } from "node:fs"
import net from "node:net"
import path from "node:path"
import { Transform } from "node:stream"

import axios from "axios"
import { Client } from "pg"

import { startSandbox, type Sandbox } from "../../src/sandbox"
import { LIPIA, LIPWA } from "../fixtures/mpesa"
import { prepareCart, storeApi, type SeededStore } from "../fixtures/store"

jest.setTimeout(900_000)

/**
 * Medusa's production shape: two server processes (A and B) and a worker, on one PostgreSQL
 * and one redis-server (event bus, workflow engine, locking, cache, the Lipwa budget), with the
 * built plugin and the sandbox. Prompts are started on A; their callbacks go to B; the worker
 * runs the subscribers and the recovery job. Each scenario prints its figures.
 */
const root = path.resolve(__dirname, "../..")
const app = path.join(__dirname, "app")
const logs = path.join(root, ".tmp", "scale")
const REDIS_SERVER = process.env.REDIS_SERVER_PATH ?? "/usr/bin/redis-server"
if (!existsSync(REDIS_SERVER)) {
  throw new Error(`redis-server not found at ${REDIS_SERVER}: install it (Debian: apt-get install redis-server) or set REDIS_SERVER_PATH`)
}

type Proc = { name: string; port: number; url: string; child?: ChildProcess }

let redis: ChildProcess
let sandbox: Sandbox
let db: Client
let seed: SeededStore
let env: NodeJS.ProcessEnv
const A: Proc = { name: "server-a", port: 0, url: "" }
const B: Proc = { name: "server-b", port: 0, url: "" }
const W: Proc = { name: "worker", port: 0, url: "" }

beforeAll(async () => {
  mkdirSync(logs, { recursive: true })
  const redisPort = await freePort()
  redis = spawn(REDIS_SERVER, ["--port", String(redisPort), "--save", "", "--appendonly", "no"], { stdio: "ignore" })
  sandbox = await startSandbox({ approveDelayMs: 300 })
  for (const proc of [A, B, W]) {
    proc.port = await freePort()
    proc.url = `http://localhost:${proc.port}`
  }

  const database = `mpesa_scale_${Date.now()}`
  const admin = new Client({ host: "localhost", port: Number(process.env.DB_PORT), user: process.env.DB_USERNAME, password: process.env.DB_PASSWORD, database: "postgres" })
  await admin.connect()
  await admin.query(`CREATE DATABASE "${database}"`)
  await admin.end()
  const databaseUrl = `postgres://${process.env.DB_USERNAME}:${process.env.DB_PASSWORD}@localhost:${process.env.DB_PORT}/${database}`
  db = new Client({ connectionString: databaseUrl })
  await db.connect()

  env = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    REDIS_URL: `redis://127.0.0.1:${redisPort}`,
    MPESA_SANDBOX_URL: sandbox.url,
    CALLBACK_BASE_URL: B.url,
    MEDUSA_DISABLE_TELEMETRY: "true",
    NODE_ENV: "development",
  }
  delete env.NODE_OPTIONS
  const seedFile = path.join(logs, "seed.json")
  execFileSync(path.join(root, "node_modules/.bin/medusa"), ["db:migrate"], { cwd: app, env, stdio: "inherit" })
  execFileSync(path.join(root, "node_modules/.bin/medusa"), ["exec", "./seed.ts"], { cwd: app, env: { ...env, SEED_FILE: seedFile }, stdio: "inherit" })
  seed = JSON.parse(readFileSync(seedFile, "utf8"))

  await Promise.all([start(A, "server"), start(B, "server"), start(W, "worker")])
})

afterAll(async () => {
  // Every Medusa process must be gone before Redis is: a worker shutting down while Redis is
  // away waits for it forever.
  await Promise.all([A, B, W].map((proc) => stopAndWait(proc)))
  await db?.end()
  await sandbox?.close()
  redis?.kill("SIGKILL")
})

describe("two servers and a worker on Redis", () => {
  // Where each scenario starts, in every process's log.
  beforeEach(() => {
    for (const proc of [A, B, W]) {
      appendFileSync(path.join(logs, `${proc.name}.log`), `${new Date().toISOString()} [scale] ${expect.getState().currentTestName}\n`)
    }
  })

  it("a burst of checkouts started on A, each callback delivered twice to B: one order and one capture per cart", async () => {
    const carts = await Promise.all(Array.from({ length: 8 }, () => payOn(A, LIPIA, "0700000006")))
    const started = Date.now()
    await until(async () => (await ordersOf(carts)).every((count) => count === 1), 120_000)
    const seconds = (Date.now() - started) / 1000

    // Every cart has its order; give the second callbacks and the job time to make a second one.
    await settle(3000)
    expect(await ordersOf(carts)).toEqual(carts.map(() => 1))
    expect(await capturesOf(carts)).toEqual(carts.map(() => 1))
    const delivered = sandbox.callbacks().filter((callback) => callback.url.startsWith(B.url)).length
    expect(delivered).toBeGreaterThanOrEqual(16)
    console.log(`[scale] burst: ${carts.length} carts, ${delivered} callbacks to B, orders ${carts.length}, duplicates 0, all placed within ${seconds.toFixed(1)} s`)
  })

  it("Pay pressed five times at once for one cart, across both servers: one prompt", async () => {
    const store = storeApi(axios.create({ baseURL: A.url }), seed.publishableKey)
    const { cart, paymentCollectionId } = await prepareCart(store, seed)
    const prompts = () => sandbox.payments().filter((payment) => payment.phone === "254700000010").length
    const before = prompts()
    const answers = await Promise.all(
      [A, B, A, B, A].map((proc) =>
        storeApi(axios.create({ baseURL: proc.url }), seed.publishableKey).initiatePaymentSession(paymentCollectionId, LIPIA, { phone_number: "0700000010" })
      )
    )
    const statuses = answers.map((answer) => answer.status).sort()
    expect(statuses.filter((status) => status === 200)).toHaveLength(1)
    expect(statuses.filter((status) => status === 409)).toHaveLength(4)
    expect(prompts() - before).toBe(1)
    console.log(`[scale] one cart, 5 concurrent Pay on A and B: answers ${statuses.join(", ")}, prompts ${prompts() - before} (cart ${cart.id})`)
  })

  it("lost callbacks are recovered by the worker's job, once each", async () => {
    const carts = await Promise.all(Array.from({ length: 4 }, () => payOn(A, LIPWA, "0700000005")))
    const started = Date.now()
    await until(async () => (await ordersOf(carts)).every((count) => count === 1), 180_000)
    const seconds = (Date.now() - started) / 1000
    await settle(5000)
    expect(await ordersOf(carts)).toEqual(carts.map(() => 1))
    expect(await capturesOf(carts)).toEqual(carts.map(() => 1))
    const paid = await db.query(`SELECT count(*)::int AS n FROM mpesa_attempt WHERE cart_id = ANY($1) AND state = 'paid'`, [carts])
    expect(paid.rows[0].n).toBe(carts.length)
    console.log(`[scale] lost callbacks: ${carts.length} recovered by the worker in ${seconds.toFixed(1)} s, orders ${carts.length}, duplicates 0`)
  })

  it("Lipwa traffic from every process stays at or under 10 requests in any second", async () => {
    sandbox.reset()
    // Pushes from both servers at once, while the worker polls the status API for the lost ones.
    const carts = await Promise.all(
      Array.from({ length: 16 }, (_, i) => payOn(i % 2 ? A : B, LIPWA, i % 4 === 0 ? "0700000005" : "0700000000"))
    )
    await until(async () => (await ordersOf(carts)).every((count) => count === 1), 180_000)
    const lipwa = sandbox
      .requests()
      .filter((request) => request.api === "lipwa")
      .map((request) => Date.parse(request.at))
      .sort((a, b) => a - b)
    const busiest = Math.max(...lipwa.map((start) => lipwa.filter((t) => t >= start && t < start + 1000).length))
    const refused = sandbox.requests().filter((request) => request.api === "lipwa" && request.status === 429).length
    expect(busiest).toBeLessThanOrEqual(10)
    expect(await ordersOf(carts)).toEqual(carts.map(() => 1))
    console.log(`[scale] Lipwa: ${lipwa.length} requests from 3 processes, max ${busiest} in any second, ${refused} answered 429, orders ${carts.length}`)
  })

  it("the worker, which completes the orders, killed: callbacks meet it dead, and nothing is lost or doubled once it is back", async () => {
    stop(W, "SIGKILL")
    const carts = await Promise.all(Array.from({ length: 6 }, () => payOn(A, LIPIA, "0700000006")))
    const refs = await sessionsOf(carts)
    // Every callback (two per payment) answered by B and every payment recorded, while no
    // process that runs subscribers is alive: no order can have been placed yet.
    await until(async () => sandbox.callbacks().filter((d) => refs.includes(String((d.body as any)?.response?.ExternalReference)) && d.status === 200).length >= 2 * carts.length, 120_000)
    await until(async () => (await paidAttempts(carts)) === carts.length, 60_000)
    expect(await ordersOf(carts)).toEqual(carts.map(() => 0))

    await start(W, "worker")
    const started = Date.now()
    await until(async () => (await ordersOf(carts)).every((count) => count === 1), 180_000)
    await settle(3000)
    expect(await ordersOf(carts)).toEqual(carts.map(() => 1))
    expect(await capturesOf(carts)).toEqual(carts.map(() => 1))
    console.log(`[scale] worker killed: ${carts.length} carts paid while it was dead, all placed ${((Date.now() - started) / 1000).toFixed(1)} s after its restart, duplicates 0`)
  })

  it("a server killed mid-burst and restarted loses nothing and doubles nothing", async () => {
    const carts = await Promise.all(Array.from({ length: 6 }, () => payOn(A, LIPIA, "0700000006")))
    // B receives the callbacks: kill it while they arrive, then bring it back.
    stop(B, "SIGKILL")
    const refs = await sessionsOf(carts)
    await start(B, "server")
    // Proof that callbacks met the dead server (refused connections), not only a live one.
    expect(sandbox.callbacks().filter((d) => refs.includes(String((d.body as any)?.response?.ExternalReference)) && d.error).length).toBeGreaterThan(0)
    const started = Date.now()
    await until(async () => (await ordersOf(carts)).every((count) => count === 1), 180_000).catch(async (error) => {
      // What was left, for whoever reads the failure: each cart's orders and its attempts.
      const { rows } = await db.query(`SELECT cart_id, state, order_id, paid_without_order, settled_at, checked_at, callback_at FROM mpesa_attempt WHERE cart_id = ANY($1)`, [carts])
      console.log(`[scale] B killed mid-burst, not settled: orders ${JSON.stringify(await ordersOf(carts))}; attempts ${JSON.stringify(rows)}`)
      throw error
    })
    await settle(3000)
    expect(await ordersOf(carts)).toEqual(carts.map(() => 1))
    expect(await capturesOf(carts)).toEqual(carts.map(() => 1))
    console.log(`[scale] B killed mid-burst: ${carts.length} carts, all placed ${((Date.now() - started) / 1000).toFixed(1)} s after its restart, duplicates 0`)
  })
})

/** A cart ready to pay on `proc`, and its prompt sent there; returns the cart id. */
async function payOn(proc: Proc, provider: string, phone: string): Promise<string> {
  const store = storeApi(axios.create({ baseURL: proc.url }), seed.publishableKey)
  // One email per cart: Medusa creates a guest customer per new email, and two carts creating
  // the same one at once collide (its own race, not the plugin's).
  const { cart, paymentCollectionId } = await prepareCart(store, seed, { email: `shopper-${randomUUID()}@example.com` })
  const answer = await store.initiatePaymentSession(paymentCollectionId, provider, { phone_number: phone })
  if (answer.status !== 200) {
    throw new Error(`Pay on ${proc.name} answered ${answer.status}: ${JSON.stringify(answer.data)}`)
  }
  return cart.id
}

/** The payment session ids of the carts' M-Pesa attempts (what Lipia's callbacks echo). */
async function sessionsOf(cartIds: string[]): Promise<string[]> {
  const { rows } = await db.query(`SELECT session_id FROM mpesa_attempt WHERE cart_id = ANY($1) AND deleted_at IS NULL`, [cartIds])
  return rows.map((row) => row.session_id)
}

async function paidAttempts(cartIds: string[]): Promise<number> {
  const { rows } = await db.query(`SELECT count(*)::int AS n FROM mpesa_attempt WHERE cart_id = ANY($1) AND state = 'paid' AND deleted_at IS NULL`, [cartIds])
  return rows[0].n
}

async function ordersOf(cartIds: string[]): Promise<number[]> {
  const { rows } = await db.query(`SELECT cart_id, count(*)::int AS n FROM order_cart WHERE cart_id = ANY($1) AND deleted_at IS NULL GROUP BY cart_id`, [cartIds])
  return cartIds.map((id) => rows.find((row) => row.cart_id === id)?.n ?? 0)
}

async function capturesOf(cartIds: string[]): Promise<number[]> {
  const { rows } = await db.query(
    `SELECT cpc.cart_id, count(c.id)::int AS n
       FROM cart_payment_collection cpc
       JOIN payment p ON p.payment_collection_id = cpc.payment_collection_id AND p.deleted_at IS NULL
       JOIN capture c ON c.payment_id = p.id AND c.deleted_at IS NULL
      WHERE cpc.cart_id = ANY($1) AND cpc.deleted_at IS NULL
      GROUP BY cpc.cart_id`,
    [cartIds]
  )
  return cartIds.map((id) => rows.find((row) => row.cart_id === id)?.n ?? 0)
}

async function start(proc: Proc, mode: "server" | "worker") {
  const out = createWriteStream(path.join(logs, `${proc.name}.log`), { flags: "a" })
  proc.child = spawn(path.join(root, "node_modules/.bin/medusa"), ["start"], {
    cwd: app,
    env: { ...env, PORT: String(proc.port), MEDUSA_WORKER_MODE: mode },
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  })
  // Each line stamped with the time it was written, so a slow recovery can be read against the test's own log.
  proc.child.stdout!.pipe(stamped()).pipe(out)
  proc.child.stderr!.pipe(stamped()).pipe(out)
  await until(async () => (await axios.get(`${proc.url}/health`).catch(() => undefined))?.status === 200, 240_000)
}

/** A line stream whose lines start with the time they were written. */
function stamped(): Transform {
  let rest = ""
  return new Transform({
    transform(chunk, _encoding, done) {
      const lines = (rest + chunk.toString()).split("\n")
      rest = lines.pop() ?? ""
      done(null, lines.map((line) => `${new Date().toISOString()} ${line}\n`).join(""))
    },
    flush(done) {
      done(null, rest ? `${new Date().toISOString()} ${rest}\n` : "")
    },
  })
}

function stop(proc: Proc, signal: NodeJS.Signals = "SIGTERM") {
  if (proc.child?.pid) {
    try {
      process.kill(-proc.child.pid, signal)
    } catch {
      // gone already
    }
  }
}

/** SIGTERM, then SIGKILL for the whole process group if it is not gone within 10 s. */
async function stopAndWait(proc: Proc) {
  const child = proc.child
  if (!child?.pid || child.exitCode !== null || child.signalCode !== null) {
    return
  }
  const exited = new Promise((resolve) => child.once("exit", resolve))
  stop(proc, "SIGTERM")
  const timer = setTimeout(() => stop(proc, "SIGKILL"), 10_000)
  await exited
  clearTimeout(timer)
  stop(proc, "SIGKILL") // anything left in its group
}

function settle(ms: number) {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

async function until(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) {
      throw new Error("condition not met in time")
    }
    await settle(250)
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer()
    probe.on("error", reject)
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as net.AddressInfo
      probe.close(() => resolve(port))
    })
  })
}
