// 6. Memory: the server with the plugin against the same store without it, each at rest and
// read as bench/lib/memory.mjs reads it (the median of several samples, each after a forced GC).

import { GOALS, verdict } from "../lib/goals.mjs"
import { toMb } from "../lib/memory.mjs"
import { ratio } from "../lib/stats.mjs"

/** One resting reading as the report shows it: the medians, the first reading before any GC, and every sample's RSS. */
export function restingFigures(m) {
  if (!m) {
    return undefined
  }
  return {
    ...m.median,
    samples: m.samples.length,
    samplesRssMb: m.samples.map((s) => toMb(s.rss)),
    beforeGcRssMb: toMb(m.beforeGc?.rss),
    beforeGcTreeRssMb: toMb(m.beforeGc?.treeRss),
    beforeGcHeapUsedMb: toMb(m.beforeGc?.heapUsed),
    firstGcRssMb: toMb(m.firstGc?.rss),
  }
}

const minus = (a, b) => (typeof a === "number" && typeof b === "number" ? Math.round((a - b) * 10) / 10 : undefined)

export function overheadOf(memory) {
  const w = memory.withPlugin
  const wo = memory.withoutPlugin
  const withPlugin = { idle: restingFigures(w.idle), afterSystemBurst: restingFigures(w.afterSystemBurst), afterBursts: restingFigures(w.afterBursts), afterAll: restingFigures(w.afterAll) }
  const withoutPlugin = { idle: restingFigures(wo.idle), afterSystemBurst: restingFigures(wo.afterSystemBurst), burstPeakMb: wo.burst?.peakRssMb }
  const idleOverheadMb = minus(withPlugin.idle?.rssMb, withoutPlugin.idle?.rssMb)
  return {
    withPlugin,
    withoutPlugin,
    // The headline: the server process's RSS after a forced GC, with the plugin − without.
    idleOverheadMb,
    idleHeapOverheadMb: minus(withPlugin.idle?.heapUsedMb, withoutPlugin.idle?.heapUsedMb),
    afterSystemBurstOverheadMb: minus(withPlugin.afterSystemBurst?.rssMb, withoutPlugin.afterSystemBurst?.rssMb),
    // The old way: one reading of the process tree's RSS, no collection.
    beforeGcOverheadMb: minus(withPlugin.idle?.beforeGcTreeRssMb, withoutPlugin.idle?.beforeGcTreeRssMb),
    verdict: verdict(idleOverheadMb, GOALS.idleOverheadMb),
    ratio: {
      idle: ratio(withPlugin.idle?.rssMb, withoutPlugin.idle?.rssMb),
      afterSystemBurst: ratio(withPlugin.afterSystemBurst?.rssMb, withoutPlugin.afterSystemBurst?.rssMb),
    },
    systemBurstWithoutPlugin: wo.burst ? { throughput: wo.burst.throughput, p95: wo.burst.latency.p95 } : undefined,
  }
}
