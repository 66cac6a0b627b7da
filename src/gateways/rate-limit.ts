import { createHash } from "node:crypto"

import { RateLimiterMemory, RateLimiterQueue, RateLimiterRedis } from "rate-limiter-flexible"

/**
 * Keeps calls to a rate-limited API under its documented limit (Lipwa: "10 requests per
 * second", reference/lipwa-api.txt). Built on rate-limiter-flexible, which offers the same
 * limiter over process memory or over Redis, so a store running several server processes and
 * a worker can share one budget per API key by passing its Redis client.
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
  /** An ioredis client: share the budget between processes. Omit for an in-process budget. */
  redis?: unknown
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
  const duration = slotMs(options.perSecond) / 1000
  const limiter = options.redis
    ? new RateLimiterRedis({ storeClient: options.redis, points: 1, duration, keyPrefix })
    : new RateLimiterMemory({ points: 1, duration, keyPrefix })
  const queue = new RateLimiterQueue(limiter, { maxQueueSize: options.maxQueue ?? 10_000 })
  return {
    acquire: async () => {
      await queue.removeTokens(1)
    },
  }
}

const shared = new Map<string, RequestLimiter>()

/**
 * One in-process limiter per API key, so every client built for the same Lipwa account in
 * this process draws on one budget (two provider instances, the recovery job, the admin).
 */
export function sharedRequestLimiter(options: Omit<LimiterOptions, "redis">): RequestLimiter {
  const key = `${fingerprint(options.apiKey)}:${options.perSecond}`
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
