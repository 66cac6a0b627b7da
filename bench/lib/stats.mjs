// The arithmetic of `npm run bench`: percentiles, ratios and their spread, request rates.
// Pure functions, unit-tested in bench/__tests__/stats.spec.ts.

/** The p-th percentile (0–100) of `values`, interpolated between ranks as numpy's default does. */
export function percentile(values, p) {
  if (!values.length) {
    return undefined
  }
  const sorted = [...values].sort((a, b) => a - b)
  const rank = (p / 100) * (sorted.length - 1)
  const low = Math.floor(rank)
  const high = Math.ceil(rank)
  return sorted[low] + (sorted[high] - sorted[low]) * (rank - low)
}

/** n, min, p50, p95, max and mean of a sample (milliseconds in, milliseconds out, rounded to 0.1). */
export function summarize(values) {
  if (!values.length) {
    return { n: 0 }
  }
  const round = (x) => Math.round(x * 10) / 10
  return {
    n: values.length,
    min: round(Math.min(...values)),
    p50: round(percentile(values, 50)),
    p95: round(percentile(values, 95)),
    max: round(Math.max(...values)),
    mean: round(values.reduce((sum, v) => sum + v, 0) / values.length),
  }
}

/** a / b to two decimals; undefined when either is missing or b is 0. */
export function ratio(a, b) {
  if (typeof a !== "number" || typeof b !== "number" || b === 0) {
    return undefined
  }
  return Math.round((a / b) * 100) / 100
}

/** The spread of one figure measured several times: min, median, max (and how many). */
export function spread(values) {
  const present = values.filter((v) => typeof v === "number" && Number.isFinite(v))
  if (!present.length) {
    return { n: 0 }
  }
  return { n: present.length, min: Math.min(...present), median: percentile(present, 50), max: Math.max(...present) }
}

/** The most timestamps (ms) falling in any window of `windowMs` that starts at one of them. */
export function busiestWindow(timestamps, windowMs = 1000) {
  const sorted = [...timestamps].sort((a, b) => a - b)
  let best = 0
  let start = 0
  for (let end = 0; end < sorted.length; end++) {
    while (sorted[end] - sorted[start] >= windowMs) {
      start++
    }
    best = Math.max(best, end - start + 1)
  }
  return best
}

/**
 * Samples `{ at, ms }` grouped into consecutive windows of `windowMs` from `from`: each
 * window's start (seconds from `from`), count, p50 and p95. Empty windows are kept (n 0), so
 * a stall shows.
 */
export function byWindow(samples, from, windowMs, until) {
  const last = until ?? Math.max(from, ...samples.map((s) => s.at))
  const count = Math.max(1, Math.ceil((last - from) / windowMs))
  return Array.from({ length: count }, (_, i) => {
    const lo = from + i * windowMs
    const inside = samples.filter((s) => s.at >= lo && s.at < lo + windowMs).map((s) => s.ms)
    const { n, p50, p95 } = summarize(inside)
    return { fromS: (i * windowMs) / 1000, n, p50, p95 }
  })
}

/** Orders per second: `count` finished between `from` and the last finish (ms timestamps). */
export function throughput(count, from, lastFinish) {
  const seconds = (lastFinish - from) / 1000
  return seconds > 0 ? Math.round((count / seconds) * 100) / 100 : undefined
}
