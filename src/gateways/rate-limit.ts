import { createHash } from "node:crypto"

/**
 * Keeps calls to an aggregator under its limit (Lipwa: "10 requests per second",
 * reference/lipwa-api.txt; Lipia documents none, so a conservative pace is set in its client).
 * Calls are given slots, one per `slotMs`: in one process from a counter here, across several
 * server processes and a worker from a slot reservation in Redis (below), so every process
 * draws on one budget per API key.
 *
 * A request waits for its slot only as long as its class allows (`MAX_WAIT_MS`): a flood of
 * storefront polls can never queue a shopper's push or an aggregator's callback behind it, and
 * no request waits unboundedly. A request whose slot would come too late takes none and is
 * refused at once (`BudgetExhausted`); a poll so refused is answered from the ledger.
 */
export interface RequestLimiter {
  /**
   * Reserves the next slot if it starts within `maxWaitMs`, and says when; undefined when it
   * would start later (nothing is reserved then).
   */
  reserve(maxWaitMs: number): Promise<Reservation | undefined>
  /** Resolves when one more request may be sent; throws `BudgetExhausted` beyond `maxWaitMs`. */
  acquire(maxWaitMs?: number): Promise<void>
}

/** What a request is for, which decides how long it may wait for a slot. */
export type RequestClass = "push" | "callback" | "job" | "poll"

/**
 * How long each kind of request may wait for a slot. A push or a callback's check is a shopper
 * or money waiting; the recovery job can try again in its next run; a poll takes a slot only
 * when one is free right now, so polls never stand in front of anything.
 */
export const MAX_WAIT_MS: Record<RequestClass, number> = { push: 10_000, callback: 10_000, job: 5_000, poll: 0 }

/** A slot: how long to wait for it, and when it starts on the limiter's clock (Redis's, or this process's). */
export type Reservation = { waitMs: number; at: number }

export class BudgetExhausted extends Error {
  constructor(readonly maxWaitMs: number) {
    super(`no request slot free within ${maxWaitMs} ms`)
    this.name = "BudgetExhausted"
  }
}

export type LimiterOptions = {
  /** Requests allowed in any one-second window. */
  perSecond: number
  /** The API key the budget belongs to. Only a hash of it is ever used as a key. */
  apiKey: string
  /** Share the budget between processes through this Redis. Omit for an in-process budget. */
  redis?: RedisLike
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
  const slot = slotMs(options.perSecond)
  const local = localSlots(slot)
  if (!options.redis) {
    return limiterOf(local)
  }
  const redis = options.redis
  const key = `mpesa-rl-${fingerprint(options.apiKey)}`
  return limiterOf(async (maxWaitMs) => {
    try {
      const [waitMs, at] = (await redis.eval(RESERVE_SLOT, 1, key, slot, maxWaitMs)) as [number, number]
      return Number(waitMs) < 0 ? undefined : { waitMs: Number(waitMs), at: Number(at) }
    } catch {
      // Redis unreachable: pace this process alone rather than fail the payment. The budget may
      // then be exceeded across processes; Lipwa answers 429, which the client retries with backoff.
      return local(maxWaitMs)
    }
  })
}

type Reserve = (maxWaitMs: number) => Promise<Reservation | undefined>

function limiterOf(reserve: Reserve): RequestLimiter {
  return {
    reserve,
    acquire: async (maxWaitMs = MAX_WAIT_MS.push) => {
      const slot = await reserve(maxWaitMs)
      if (!slot) {
        throw new BudgetExhausted(maxWaitMs)
      }
      if (slot.waitMs > 0) {
        await new Promise((resolve) => setTimeout(resolve, slot.waitMs))
      }
    },
  }
}

/** The same reservation as the Redis script, on this process's clock. */
function localSlots(slot: number): Reserve {
  let next = 0
  return async (maxWaitMs) => {
    const now = Date.now()
    const at = Math.max(now, next)
    if (at - now > maxWaitMs) {
      return undefined
    }
    next = at + slot
    return { waitMs: at - now, at }
  }
}

/** The one call the Redis limiter makes (ioredis's `eval`). */
export type RedisLike = { eval(script: string, keys: number, ...args: (string | number)[]): Promise<unknown> }

/**
 * Reserves the next free slot of the budget, atomically, with Redis's own clock (so the
 * processes' clocks do not matter): `next` holds the time the next slot starts; a caller takes
 * max(now, next) if that is no more than ARGV[2] ms away, moves `next` one slot on, and waits
 * until its slot; otherwise it reserves nothing (-1). It answers {wait, slot start}. The key expires in milliseconds once
 * idle — which rate-limiter-flexible's Redis store, expiring keys in whole seconds, cannot do
 * for a 112 ms slot, and it has no "only if soon" reservation: hence our own.
 */
const RESERVE_SLOT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local slot = tonumber(ARGV[1])
local at = math.max(now, tonumber(redis.call('GET', KEYS[1]) or '0'))
if at - now > tonumber(ARGV[2]) then
  return {-1, at}
end
redis.call('SET', KEYS[1], at + slot, 'PX', at + slot - now + 1000)
return {at - now, at}`

const shared = new Map<string, RequestLimiter>()

/**
 * One limiter per API key in this process, so every client built for the same account draws
 * on one budget (two provider instances, the recovery job, the admin) — and, given Redis, on
 * one budget with every other process too.
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
