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

/**
 * How long a reservation waits for Redis's answer. Redis answers in a millisecond or two; one
 * that accepted the connection and then went silent (hung, or a half-open connection through
 * a proxy or NAT) would otherwise hold every push and callback for ever: ioredis by default
 * never gives up on a command, so neither the slot's wait bound nor the fallback below applied.
 */
export const REDIS_ANSWER_MS = 500

/**
 * After Redis failed to answer, this process paces itself alone for this long before asking
 * Redis again: a silent Redis costs one REDIS_ANSWER_MS per period, not one per request, and
 * no command piles up on its connection meanwhile.
 */
export const REDIS_RETRY_AFTER_MS = 5_000

export function createRequestLimiter(options: LimiterOptions): RequestLimiter {
  const slot = slotMs(options.perSecond)
  const local = localSlots(slot)
  return limiterOf(options.redis ? sharedSlots(options.redis, `mpesa-rl-${fingerprint(options.apiKey)}`, slot, local) : local)
}

type Reserve = (maxWaitMs: number) => Promise<Reservation | undefined>

/**
 * Slots from the budget in Redis, falling back to this process's own pacing when Redis fails
 * or does not answer within REDIS_ANSWER_MS. The fallback is degraded, never wrong about
 * money: the budget may then be exceeded across processes, and Lipwa answers 429, which the
 * client retries with backoff. The time spent waiting for Redis counts against the request's
 * own wait bound, so a push still has its slot (or its refusal) within MAX_WAIT_MS.
 */
function sharedSlots(redis: RedisLike, key: string, slot: number, local: Reserve): Reserve {
  let aloneUntil = 0
  return async (maxWaitMs) => {
    if (Date.now() < aloneUntil) {
      return local(maxWaitMs)
    }
    const asked = Date.now()
    try {
      const [waitMs, at] = (await answerWithin(redis.eval(RESERVE_SLOT, 1, key, slot, maxWaitMs), REDIS_ANSWER_MS)) as [number, number]
      return Number(waitMs) < 0 ? undefined : { waitMs: Number(waitMs), at: Number(at) }
    } catch {
      aloneUntil = Date.now() + REDIS_RETRY_AFTER_MS
      return local(Math.max(0, maxWaitMs - (Date.now() - asked)))
    }
  }
}

/**
 * The command's answer, or a rejection after `ms`: whatever client the host handed in (ioredis
 * without `commandTimeout`, or any other), no reservation waits longer. The race keeps handling
 * the command's own late answer or rejection, so it is never an unhandled rejection.
 */
function answerWithin<T>(command: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const silence = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Redis did not answer within ${ms} ms`)), ms)
  })
  return Promise.race([command, silence]).finally(() => clearTimeout(timer))
}

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
