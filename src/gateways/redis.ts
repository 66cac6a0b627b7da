import Redis from "ioredis"

const clients = new Map<string, Redis>()

/**
 * One Redis connection per URL in this process, for the cross-process request budget.
 * ioredis is the client Medusa's own Redis modules use. A command is retried once at most, so
 * a Redis outage degrades to per-process pacing (rate-limit.ts) instead of stalling payments.
 */
export function sharedRedis(url: string): Redis {
  let client = clients.get(url)
  if (!client) {
    client = new Redis(url, { maxRetriesPerRequest: 1 })
    // Connection errors surface on the commands (and the fallback); do not crash the process.
    client.on("error", () => {})
    clients.set(url, client)
  }
  return client
}
