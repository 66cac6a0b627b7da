import { createHash } from "node:crypto"

import { RateLimiterMemory, RateLimiterQueue } from "rate-limiter-flexible"

/**
 * Keeps calls to a rate-limited API under its documented limit (Lipwa: "10 requests per
 * second", reference/lipwa-api.txt). In one process, rate-limiter-flexible's memory limiter
 * paces the calls; across several server processes and a worker, a slot reservation in Redis
 * does (below), so every process draws on one budget per API key.
 */
export interface RequestLimiter {
  /** Resolves when one more request may be sent. */
  acquire(): Promise<void>
}

export type LimiterOptions = {
  /** Requests allowed in any one-second window. */
  perSecond: number
  /** The API key the budget belongs to. Only a hash of it is ever used as a key. */
  apiKey: string
  /** Share the budget between processes through this Redis. Omit for an in-process budget. */
  redis?: RedisLike
  /** How many callers may wait before `acquire` fails fast. */
  maxQueue?: number
}

/**
 * Spacing calls evenly, one per slot, is what keeps *every* one-second window (not only
 * windows aligned to the clock) at or under the limit: with one call per slot of length s,
 * a 1000 ms window touches at most floor(999/s) + 2 slots, which is ≤ perSecond when
 * s > 1000 / (perSecond - 1). For 10/s that is one call per 112 ms (~8.9/s sustained).
 */
export function slotMs(perSecond: number): number {
  if (!Number.isInteger(perSecond) || perSecond < 2) {
    throw new RangeError(`A request limiter needs a whole number of requests per second, at least 2 (got ${perSecond}).`)
  }
  return Math.floor(1000 / (perSecond - 1)) + 1
}

export function createRequestLimiter(options: LimiterOptions): RequestLimiter {
  const keyPrefix = `mpesa-rl-${fingerprint(options.apiKey)}`
  if (options.redis) {
    return redisRequestLimiter(options.redis, keyPrefix, slotMs(options.perSecond))
  }
  const limiter = new RateLimiterMemory({ points: 1, duration: slotMs(options.perSecond) / 1000, keyPrefix })
  const queue = new RateLimiterQueue(limiter, { maxQueueSize: options.maxQueue ?? 10_000 })
  return {
    acquire: async () => {
      await queue.removeTokens(1)
    },
  }
}

/** The one call the Redis limiter makes (ioredis's `eval`). */
export type RedisLike = { eval(script: string, keys: number, ...args: (string | number)[]): Promise<unknown> }

/**
 * Reserves the next free slot of the budget, atomically, with Redis's own clock (so the
 * processes' clocks do not matter): `next` holds the time the next slot starts; a caller takes
 * max(now, next), moves `next` one slot on, and waits until its slot. The key expires in
 * milliseconds once idle. rate-limiter-flexible's Redis store expires keys in whole seconds,
 * which cannot hold a 112 ms slot; this is why the cross-process limiter is our own.
 */
const RESERVE_SLOT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local slot = tonumber(ARGV[1])
local at = math.max(now, tonumber(redis.call('GET', KEYS[1]) or '0'))
redis.call('SET', KEYS[1], at + slot, 'PX', at + slot - now + 1000)
return at - now`

function redisRequestLimiter(redis: RedisLike, key: string, slot: number): RequestLimiter {
  // Redis unreachable: pace this process alone rather than fail the payment. The budget may
  // then be exceeded across processes; Lipwa answers 429, which the client retries with backoff.
  const fallback = new RateLimiterQueue(new RateLimiterMemory({ points: 1, duration: slot / 1000, keyPrefix: key }), { maxQueueSize: 10_000 })
  return {
    acquire: async () => {
      let waitMs: number
      try {
        waitMs = Number(await redis.eval(RESERVE_SLOT, 1, key, slot))
      } catch {
        await fallback.removeTokens(1)
        return
      }
      if (waitMs > 0) {
        await new Promise((resolve) => setTimeout(resolve, waitMs))
      }
    },
  }
}

const shared = new Map<string, RequestLimiter>()

/**
 * One limiter per API key in this process, so every client built for the same Lipwa account
 * draws on one budget (two provider instances, the recovery job, the admin) — and, given Redis,
 * on one budget with every other process too.
 */
export function sharedRequestLimiter(options: LimiterOptions): RequestLimiter {
  const key = `${fingerprint(options.apiKey)}:${options.perSecond}:${options.redis ? "redis" : "memory"}`
  let limiter = shared.get(key)
  if (!limiter) {
    limiter = createRequestLimiter(options)
    shared.set(key, limiter)
  }
  return limiter
}

function fingerprint(apiKey: string): string {
  return createHash("sha256").update(apiKey).digest("hex").slice(0, 16)
}
