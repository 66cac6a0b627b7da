import { spawn, type ChildProcess } from "node:child_process"
import { existsSync } from "node:fs"
import net from "node:net"

import Redis from "ioredis"

import { createRequestLimiter, MAX_WAIT_MS } from "../rate-limit"

/**
 * The cross-process Lipwa budget on a real redis-server (Debian's `redis-server`; .ci/run
 * installs it). Each limiter below has its own Redis connection and no shared memory, as three
 * processes would: together they must stay at or under 10 requests in every one-second window.
 */
const REDIS_SERVER = process.env.REDIS_SERVER_PATH ?? "/usr/bin/redis-server"
const present = existsSync(REDIS_SERVER)
if (!present && process.env.CI) {
  throw new Error(`redis-server not found at ${REDIS_SERVER}: apt-get install redis-server (a skip fails under CI)`)
}
const describeWithRedis = present ? describe : describe.skip
if (!present) {
  console.log(`Redis limiter tests SKIPPED: redis-server not found at ${REDIS_SERVER} (apt-get install redis-server)`)
}

describeWithRedis("the Lipwa budget shared through Redis", () => {
  let server: ChildProcess
  let url: string
  const clients: Redis[] = []

  beforeAll(async () => {
    const port = await freePort()
    server = spawn(REDIS_SERVER, ["--port", String(port), "--save", "", "--appendonly", "no"], { stdio: "ignore" })
    url = `redis://127.0.0.1:${port}`
    const probe = new Redis(url, { maxRetriesPerRequest: null })
    await probe.ping()
    probe.disconnect()
  })

  afterAll(async () => {
    await Promise.all(clients.map((client) => (client.status === "ready" ? client.quit() : client.disconnect())))
    server?.kill("SIGKILL")
  })

  const connect = () => {
    const client = new Redis(url)
    clients.push(client)
    return client
  }

  // The slots' start times on Redis's clock are what the budget guarantees; the tests read them
  // rather than timing the waits, so they hold however busy the machine is.
  it("keeps three processes' 45 requests at or under 10 in any one-second window", async () => {
    const limiters = [0, 1, 2].map(() => createRequestLimiter({ apiKey: "lipwa-key-A", perSecond: 10, redis: connect() }))

    const slots = await Promise.all(Array.from({ length: 45 }, (_, i) => limiters[i % 3].reserve(MAX_WAIT_MS.push)))

    const starts = slots.map((slot) => slot!.at).sort((a, b) => a - b)
    const busiest = Math.max(...starts.map((start) => starts.filter((t) => t >= start && t < start + 1000).length))
    expect(busiest).toBeLessThanOrEqual(10)
    // Paced, not starved: 45 consecutive slots of 112 ms, none skipped.
    expect(starts[44] - starts[0]).toBe(44 * 112)
  })

  it("gives each API key its own budget", async () => {
    const a = createRequestLimiter({ apiKey: "lipwa-key-B", perSecond: 10, redis: connect() })
    const b = createRequestLimiter({ apiKey: "lipwa-key-C", perSecond: 10, redis: connect() })
    const [first, second] = await Promise.all([a.reserve(MAX_WAIT_MS.push), b.reserve(MAX_WAIT_MS.push)])
    expect([first?.waitMs, second?.waitMs]).toEqual([0, 0])
  })

  it("reserves nothing for a request whose slot would come too late, across processes", async () => {
    const [one, two] = [0, 1].map(() => createRequestLimiter({ apiKey: "lipwa-key-E", perSecond: 10, redis: connect() }))
    expect((await one.reserve(MAX_WAIT_MS.push))?.waitMs).toBe(0)
    expect(await two.reserve(MAX_WAIT_MS.poll)).toBeUndefined()
    const next = await two.reserve(MAX_WAIT_MS.push)
    expect(next!.waitMs).toBeGreaterThan(0)
    expect(next!.waitMs).toBeLessThanOrEqual(112)
  })

  it("paces this process alone when Redis cannot be reached, instead of failing the request", async () => {
    const unreachable = new Redis(`redis://127.0.0.1:${await freePort()}`, { maxRetriesPerRequest: 0, retryStrategy: () => null })
    unreachable.on("error", () => {})
    clients.push(unreachable)
    const limiter = createRequestLimiter({ apiKey: "lipwa-key-D", perSecond: 10, redis: unreachable })
    const slots = []
    for (let i = 0; i < 3; i++) {
      slots.push(await limiter.reserve(MAX_WAIT_MS.push))
    }
    expect(slots.map((slot) => slot!.at - slots[0]!.at)).toEqual([0, 112, 224])
  })
})

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
