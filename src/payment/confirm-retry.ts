/**
 * When confirming a paid attempt fails, whether to try again or hold it for the merchant.
 *
 * Holding is for a cart that cannot become an order (stock gone, a price changed, the session
 * replaced): trying again would fail again, or place an order the merchant did not expect.
 * A failure of the moment is different: in a flash sale, many carts buying one product queue
 * on Medusa's inventory lock (5 s in its reserve-inventory step), and a busy server times out
 * there; the same cart completes a moment later. Holding that payment would leave a shopper
 * who paid without an order until the merchant acted (bench: a 50-cart burst held 17 of them).
 */

/** Tries of the confirmation where the outcome is settled, the first one included. */
export const CONFIRM_TRIES = 3

/**
 * Where a confirmation is tried again after a passing failure: a lane one try wide, across
 * every process (a key of Medusa's Locking module). Every first try starts at once, as
 * Medusa's own checkouts do; in a flash sale on a product that manages its inventory, many
 * of them meet on its inventory lock (5 s) and some time out. Tried again all at once, on a
 * clock, they would meet there again; tried one after another, each meets only the first
 * tries still running, and goes through (bench: 200 at once, none left without an order).
 * The lane is never a queue for a first try, so a store that is not contended never waits.
 */
export const RETRY_LANE = { key: "mpesa:confirm-retry", timeoutSeconds: 60 }

/**
 * A paid attempt whose confirmation still fails for a passing reason this long after it
 * settled is held after all: by then it is not passing (the recovery job retried it meanwhile).
 */
export const CONFIRM_GIVE_UP_MS = 10 * 60_000

// Medusa's locking module (in-memory, Redis and PostgreSQL providers), the store route's
// conflict, PostgreSQL's deadlock/serialization/lock-timeout errors, and a lost or exhausted
// database connection. Matched on the message: these errors carry no stable type.
const PASSING = [
  /timed-out acquiring lock/i,
  /failed to acquire lock/i,
  /already being completed/i,
  /is already locked/i,
  /deadlock detected/i,
  /could not serialize access/i,
  /canceling statement due to (lock|statement) timeout/i,
  /timeout acquiring a connection/i,
  /connection terminated/i,
  /ECONNRESET|ECONNREFUSED/,
]

/**
 * How long a confirmation waits for its cart's lock, in seconds: as long as Medusa's own
 * `complete` does (core-flows complete-cart), so a storefront completing the same cart is
 * waited for, not failed. The recovery job waits only briefly (RECOVERY_CART_LOCK_WAIT).
 */
export const CART_LOCK_WAIT = 30

/**
 * The recovery job's wait for a cart's lock. Its paid carts are settled one after another, and
 * a cart whose lock a killed process left behind stays locked until the lock expires (2 min,
 * Medusa's own complete-cart TTL): waiting 30 s there would hold up every other paid cart in
 * the run, run after run. A cart that is busy is tried again at the next run (5 s later).
 */
export const RECOVERY_CART_LOCK_WAIT = 2

/**
 * Whether a confirmation failed because its cart's own lock is held: another completion of
 * that cart (the storefront's, the job's, a retry's) is running, or a killed process left the
 * lock until it expires. Trying again at once only waits on the same holder, and that holder
 * (or the recovery job, once the lock is gone) makes the order: no retry in the lane for it.
 */
export function isCartBusy(error: unknown, cartId: string | null | undefined): boolean {
  const message = messageOf(error)
  if (/already being completed/i.test(message)) {
    return true
  }
  // Medusa's Locking providers: in-memory and Redis say `Failed to acquire lock for key "<key>"`,
  // PostgreSQL says that or `"<key>" is already locked.`
  return !!cartId && (message.includes(`Failed to acquire lock for key "${cartId}"`) || message.includes(`"${cartId}" is already locked`))
}

function messageOf(error: unknown): string {
  // A workflow's error may reach its caller as a plain object, not an Error instance.
  return typeof error === "object" && error !== null && typeof (error as { message?: unknown }).message === "string" ? (error as Error).message : ""
}

/** Whether a confirmation failed for a reason of the moment, so trying again may succeed. */
export function isPassingFailure(error: unknown): boolean {
  const message = messageOf(error)
  const code = (error as { code?: unknown } | undefined)?.code
  return PASSING.some((pattern) => pattern.test(message)) || code === "40P01" || code === "40001" || code === "55P03"
}

/** Whether a paid attempt whose confirmation failed should now be held for the merchant. */
export function shouldHold(error: unknown, settledAt: Date | string | null, now = Date.now()): boolean {
  if (!isPassingFailure(error)) {
    return true
  }
  return !!settledAt && now - new Date(settledAt).getTime() >= CONFIRM_GIVE_UP_MS
}
