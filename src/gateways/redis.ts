import Redis from "ioredis"

import { REDIS_ANSWER_MS } from "./rate-limit"

const clients = new Map<string, Redis>()

/**
 * One Redis connection per URL in this process, for the cross-process request budget.
 * ioredis is the client Medusa's own Redis modules use. A command is retried once at most and
 * given up after REDIS_ANSWER_MS (ioredis waits for ever by default, even on a connection that
 * never answers), so a Redis outage or a silent Redis degrades to per-process pacing
 * (rate-limit.ts) instead of stalling payments, and no command outlives its request.
 */
export function sharedRedis(url: string): Redis {
  let client = clients.get(url)
  if (!client) {
    client = new Redis(url, { maxRetriesPerRequest: 1, commandTimeout: REDIS_ANSWER_MS })
    // Connection errors surface on the commands (and the fallback); do not crash the process.
    client.on("error", () => {})
    clients.set(url, client)
  }
  return client
}
