// 6. Memory: the server with the plugin against the same store without it.

import { ratio } from "../lib/stats.mjs"

export function overheadOf(memory) {
  const mb = (bytes) => Math.round(bytes / 1048576)
  return {
    withPlugin: { idleMb: mb(memory.withPlugin.idle), afterSystemBurstMb: mb(memory.withPlugin.afterSystemBurst), afterBurstsMb: mb(memory.withPlugin.afterBursts), afterAllMb: mb(memory.withPlugin.afterAll) },
    withoutPlugin: { idleMb: mb(memory.withoutPlugin.idle), afterSystemBurstMb: mb(memory.withoutPlugin.afterSystemBurst), burstPeakMb: memory.withoutPlugin.burst.peakRssMb },
    ratio: {
      idle: ratio(memory.withPlugin.idle, memory.withoutPlugin.idle),
      afterSystemBurst: ratio(memory.withPlugin.afterSystemBurst, memory.withoutPlugin.afterSystemBurst),
    },
    systemBurstWithoutPlugin: { throughput: memory.withoutPlugin.burst.throughput, p95: memory.withoutPlugin.burst.latency.p95 },
  }
}

