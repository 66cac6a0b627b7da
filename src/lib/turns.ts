/**
 * At most `limit` runs of some work at once in this process; the rest wait their turn, first
 * come first served. A valve for throughput, never a guarantee: what must happen once is made
 * once by the database and Medusa's locks, whichever process runs it (see where it is used).
 */
export function turns(limit: number) {
  if (!Number.isInteger(limit) || limit < 1) {
    throw new Error(`turns: the limit must be a positive whole number, not ${limit}`)
  }
  let running = 0
  const waiting: Array<() => void> = []
  return async function inTurn<T>(work: () => Promise<T>): Promise<T> {
    if (running < limit) {
      running += 1
    } else {
      // The turn is handed over by the run that ends (running stays as it is).
      await new Promise<void>((resolve) => waiting.push(resolve))
    }
    try {
      return await work()
    } finally {
      const next = waiting.shift()
      if (next) {
        next()
      } else {
        running -= 1
      }
    }
  }
}
