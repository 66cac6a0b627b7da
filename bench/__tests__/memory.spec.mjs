import { median, medianSample } from "../lib/memory.mjs"
import { overheadOf } from "../scenarios/overhead.mjs"

const MB = 1048576
const sample = (rssMb, heapMb, treeMb = rssMb) => ({ rss: rssMb * MB, heapUsed: heapMb * MB, heapTotal: heapMb * 1.5 * MB, external: 10 * MB, treeRss: treeMb * MB })
const resting = (rss, heap, before) => ({ beforeGc: { rss: before * MB, treeRss: before * MB, heapUsed: heap * 2 * MB }, samples: rss.map((r, i) => sample(r, heap[i])), median: medianSample(rss.map((r, i) => sample(r, heap[i]))) })

describe("the server's memory at rest", () => {
  it("takes the median of the samples, the mean of the middle two for an even count", () => {
    expect(median([5, 1, 3])).toBe(3)
    expect(median([4, 1, 3, 2])).toBe(2.5)
    expect(median([])).toBeUndefined()
  })

  it("keeps each figure's median in MB, an outlier sample left out", () => {
    const m = medianSample([sample(700, 200), sample(702, 201), sample(900, 350), sample(701, 199), sample(699, 200)])
    expect(m).toEqual({ rssMb: 701, heapUsedMb: 200, heapTotalMb: 300, externalMb: 10, treeRssMb: 701 })
  })

  it("skips a figure a sample lacks", () => {
    expect(medianSample([{ rss: 2 * MB }, { rss: 4 * MB, heapUsed: MB }])).toEqual({ rssMb: 3, heapUsedMb: 1 })
  })

  it("reports the idle overhead as RSS with the plugin − without, after GC, with the goal's verdict", () => {
    const memory = {
      withPlugin: { idle: resting([720, 721, 719, 722, 720], [210, 211, 210, 212, 209], 800), afterSystemBurst: resting([740, 741, 742, 739, 740], [215, 215, 215, 215, 215], 1100) },
      withoutPlugin: {
        idle: resting([700, 699, 701, 702, 698], [190, 190, 191, 189, 190], 680),
        afterSystemBurst: resting([730, 731, 729, 730, 730], [200, 200, 200, 200, 200], 1150),
        burst: { throughput: 1.1, latency: { p95: 30_000 }, peakRssMb: 1500 },
      },
    }
    const o = overheadOf(memory)
    expect(o.idleOverheadMb).toBe(20)
    expect(o.idleHeapOverheadMb).toBe(20)
    expect(o.afterSystemBurstOverheadMb).toBe(10)
    expect(o.beforeGcOverheadMb).toBe(120)
    expect(o.verdict).toBe("met")
    expect(o.withPlugin.idle.samplesRssMb).toEqual([720, 721, 719, 722, 720])
    expect(o.withoutPlugin.burstPeakMb).toBe(1500)
    expect(o.systemBurstWithoutPlugin).toEqual({ throughput: 1.1, p95: 30_000 })
  })
})
