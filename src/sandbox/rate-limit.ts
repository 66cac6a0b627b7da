/**
 * Lipwa's documented limit, "10 requests per second", answered with 429 Too Many Requests
 * (reference/lipwa-api.txt, "Rate Limits"). Sandbox choice: a sliding window — more than
 * `limit` requests in ANY 1000 ms span are refused — which is the strictest reading, so a
 * client that passes here passes a fixed-window limiter too. Refused requests do not count.
 */
export class SlidingWindowLimiter {
  private hits = new Map<string, number[]>()

  constructor(
    private limit: number,
    private windowMs = 1000,
  ) {}

  /** Records the request and returns true, or returns false (and records nothing) when over the limit. */
  allow(key: string, now = Date.now()): boolean {
    const recent = (this.hits.get(key) ?? []).filter((t) => t > now - this.windowMs)
    if (recent.length >= this.limit) {
      this.hits.set(key, recent)
      return false
    }
    recent.push(now)
    this.hits.set(key, recent)
    return true
  }

  reset(): void {
    this.hits.clear()
  }
}
