import net from "node:net"

import Redis from "ioredis"

import { createRequestLimiter, MAX_WAIT_MS, REDIS_ANSWER_MS } from "../rate-limit"
import { sharedRedis } from "../redis"

/**
 * A Redis that accepts connections and never answers (a hung server, a half-open connection):
 * a fake one here, a TCP server that swallows whatever it is sent. Pushes and callbacks take
 * their slot from the limiter, so a limiter stuck on Redis would hold them for ever.
 */
describe("the request budget when Redis accepts connections and never answers", () => {
  let server: net.Server
  let url: string
  const sockets = new Set<net.Socket>()
  const clients: Redis[] = []

  beforeAll(async () => {
    server = net.createServer((socket) => {
      sockets.add(socket)
      socket.on("data", () => {})
      socket.on("error", () => {})
      socket.on("close", () => sockets.delete(socket))
    })
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
    url = `redis://127.0.0.1:${(server.address() as net.AddressInfo).port}`
  })

  afterAll(async () => {
    for (const client of clients) {
      client.disconnect()
    }
    for (const socket of sockets) {
      socket.destroy()
    }
    await new Promise((resolve) => server.close(resolve))
  })

  /** ioredis as a host might build it: no command timeout of its own, so only the limiter can bound the wait. */
  const silentClient = (options: { enableReadyCheck: boolean }) => {
    const client = new Redis(url, options)
    client.on("error", () => {})
    clients.push(client)
    return client
  }

  /** Fails if `promise` has not settled within `ms` (it does not wait out the time when it settles sooner). */
  function within<T>(ms: number, promise: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`still waiting after ${ms} ms`)), ms)
    })
    return Promise.race([promise, late]).finally(() => clearTimeout(timer))
  }

  // Generous for a loaded machine, and still a bound: today's failure is waiting for ever.
  const BOUND_MS = REDIS_ANSWER_MS + 2_000

  it.each([
    ["waiting for its ready check (commands queued)", true],
    ["looking ready (commands sent, never answered)", false],
  ])("gives pushes their slots within a bounded time, paced by this process alone — Redis %s", async (_, enableReadyCheck) => {
    const limiter = createRequestLimiter({ apiKey: `lipwa-silent-${enableReadyCheck}`, perSecond: 10, redis: silentClient({ enableReadyCheck }) })
    const slots = []
    for (let i = 0; i < 3; i++) {
      slots.push(await within(BOUND_MS, limiter.reserve(MAX_WAIT_MS.push)))
    }
    // The documented fallback: one slot per 112 ms, from this process's own clock.
    expect(slots.map((slot) => slot!.at - slots[0]!.at)).toEqual([0, 112, 224])
  })

  it("lets a push through acquire within its bound, and the next without asking the silent Redis again", async () => {
    const limiter = createRequestLimiter({ apiKey: "lipwa-silent-acquire", perSecond: 10, redis: silentClient({ enableReadyCheck: false }) })
    await expect(within(BOUND_MS, limiter.acquire(MAX_WAIT_MS.push))).resolves.toBeUndefined()
    const started = Date.now()
    await within(BOUND_MS, limiter.acquire(MAX_WAIT_MS.push))
    expect(Date.now() - started).toBeLessThan(REDIS_ANSWER_MS)
  })

  it("answers a poll (which may not wait for a slot) with a free slot, not a hang", async () => {
    const limiter = createRequestLimiter({ apiKey: "lipwa-silent-poll", perSecond: 10, redis: silentClient({ enableReadyCheck: false }) })
    await expect(within(BOUND_MS, limiter.acquire(MAX_WAIT_MS.poll))).resolves.toBeUndefined()
  })

  it("costs one wait on the silent Redis, not one per request", async () => {
    const limiter = createRequestLimiter({ apiKey: "lipwa-silent-many", perSecond: 10, redis: silentClient({ enableReadyCheck: false }) })
    await within(BOUND_MS, limiter.reserve(MAX_WAIT_MS.push))
    const started = Date.now()
    const slots = await within(BOUND_MS, Promise.all(Array.from({ length: 20 }, () => limiter.reserve(MAX_WAIT_MS.push))))
    expect(slots.every((slot) => slot !== undefined)).toBe(true)
    expect(Date.now() - started).toBeLessThan(REDIS_ANSWER_MS)
  })

  it("gives up a command on the plugin's own Redis connection by itself", async () => {
    const client = sharedRedis(url)
    clients.push(client)
    await expect(within(BOUND_MS, client.eval("return 1", 0))).rejects.toThrow(/timed out/i)
  })
})
