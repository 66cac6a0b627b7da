// The server's memory at rest, read so two servers can be compared: several samples, each
// taken right after a full garbage collection in the server (the bench store's own
// GET /bench/memory, bench/app/src/api/bench/memory/route.ts; the server is booted with
// NODE_OPTIONS=--expose-gc), their median kept. One reading without a collection measures
// how much garbage V8 happened to be carrying at that moment as much as the server.

import { bench } from "./context.mjs"
import { sleep, treeRss } from "./processes.mjs"

const MB = 1048576

/**
 * `count` samples of the server's memory, `gapMs` apart, after `settleMs` of rest: each one a
 * forced GC in the server and its own reading (process.memoryUsage()), with the RSS of the
 * process tree `bench` started read from /proc at the same moment. The first reading is taken
 * before any collection, as the bench used to read it. One collection before the samples is
 * not counted, and the samples start `afterFirstGcMs` later: V8 hands the pages it frees back
 * to the system from background threads after the collection returns, and on this machine RSS
 * stepped down by about 30 MB some 2–4 s after the first collection — so 7 samples a second
 * apart from right after it put the median on either side of the step, by chance (one run:
 * with the plugin 4 samples before the step, without it 2: +38 MB where the settled readings
 * differed by 7).
 */
export async function restingMemory(server, { count = bench.size?.memorySamples ?? 5, gapMs = 1000, settleMs = 2000, afterFirstGcMs = 8000 } = {}) {
  await sleep(settleMs)
  const beforeGc = { treeRss: treeRss(server.pid), ...(await readMemory(server, false)) }
  const firstGc = await readMemory(server, true)
  await sleep(afterFirstGcMs)
  const samples = []
  for (let i = 0; i < count; i++) {
    const inServer = await readMemory(server, true)
    samples.push({ ...inServer, treeRss: treeRss(server.pid) })
    await sleep(gapMs)
  }
  return { beforeGc, firstGc, samples, median: medianSample(samples) }
}

async function readMemory(server, gc) {
  const res = await fetch(`${server.url}/bench/memory${gc ? "?gc=1" : ""}`)
  if (!res.ok) {
    throw new Error(`GET /bench/memory answered ${res.status}`)
  }
  const body = await res.json()
  if (gc && !body.collected) {
    throw new Error("the server cannot force a GC: boot it with NODE_OPTIONS=--expose-gc")
  }
  return { pid: body.pid, rss: body.rss, heapUsed: body.heapUsed, heapTotal: body.heapTotal, external: body.external }
}

/** The median of each figure over the samples, in MB to one decimal (figures absent from a sample are skipped). */
export function medianSample(samples) {
  const keys = ["rss", "heapUsed", "heapTotal", "external", "treeRss"]
  return Object.fromEntries(
    keys
      .map((k) => [k, median(samples.map((s) => s[k]).filter((v) => typeof v === "number"))])
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => [`${k}Mb`, Math.round((v / MB) * 10) / 10])
  )
}

/** The middle value (the mean of the two middle ones for an even count); undefined for none. */
export function median(values) {
  if (!values.length) {
    return undefined
  }
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

/** A reading in MB (one decimal), as the report shows it. */
export const toMb = (bytes) => (typeof bytes === "number" ? Math.round((bytes / MB) * 10) / 10 : undefined)
