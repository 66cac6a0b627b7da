import { cdfChart, lineChart, linearTicks, logTicks } from "../lib/charts.mjs"
import { CHARTS, charts, renderReport } from "../lib/report.mjs"

const summary = (p50, p95) => ({ n: 51, min: p50 / 2, p50, p95, max: p95 * 1.2, mean: p50 })

/** A run's results as bench/run.mjs writes them (figures invented; only their placement is checked). */
const results = {
  mode: "full",
  durationS: 900,
  pinDelayMs: 500,
  answerAfterMs: 200,
  sizes: { warmup: 4, rounds: 3, perRound: 17, genericGapMs: 400 },
  machine: { cpus: 2, cpuModel: "Test CPU", memoryGb: 24, node: "v22.0.0", medusa: "2.21.2", postgres: "17.0.0", date: "2026-12-02T10:00:00.000Z" },
  scenarios: {
    callbackToOrder: {
      plugin: { lipia: summary(110, 180), lipwa: summary(170, 260) },
      generic: { lipia: summary(5300, 5600), lipwa: summary(5350, 5700) },
      ratio: { lipia: { p50: 48.18, p95: 31.11 }, lipwa: { p50: 31.47, p95: 21.92 } },
      rounds: [
        { round: 0, lipia: 47.1, lipwa: 30.2 },
        { round: 1, lipia: 49.3, lipwa: 32.9 },
      ],
      spread: { lipia: { n: 2, min: 47.1, median: 48.2, max: 49.3 }, lipwa: { n: 2, min: 30.2, median: 31.55, max: 32.9 } },
      integrity: { orders: 204, duplicateOrders: 0, duplicateCaptures: 0, withoutOrder: 0 },
      samples: { plugin: { lipia: [100, 110, 180], lipwa: [150, 170, 260] }, generic: { lipia: [5200, 5300, 5600], lipwa: [5250, 5350, 5700] } },
    },
    checkoutCost: {
      mpesa: summary(820, 990),
      system: summary(510, 640),
      ratio: { p50: 1.61, p95: 1.55 },
      rounds: [{ round: 0, ratio: 1.6 }],
      spread: { n: 1, min: 1.6, median: 1.6, max: 1.6 },
      parts: { mpesa: { prepare: 300, pay: 250, callbackToOrder: 140, complete: 60 }, system: { prepare: 300, pay: 40, complete: 170 } },
    },
    burst: {
      runs: [
        { n: 50, kind: "system", round: 0, orders: 50, failures: 0, withoutOrder: 0, duplicates: 0, throughput: 2.1, latency: summary(12000, 23000), peakRssMb: 610 },
        { n: 50, kind: "mpesa", round: 0, orders: 50, failures: 0, withoutOrder: 0, held: 0, placedByRetry: 0, duplicates: 0, throughput: 2.3, latency: summary(12500, 21000), peakRssMb: 640, callbackToOrder: summary(900, 2100) },
      ],
      summary: [{ n: 50, throughput: { mpesa: { n: 1, median: 2.3 }, system: { n: 1, median: 2.1 } }, ratio: { n: 1, min: 1.1, median: 1.1, max: 1.1 }, p95: {}, duplicates: 0, failures: 0 }],
    },
    sustained: {
      rate: 1.68,
      baseline: 2.1,
      seconds: 60,
      started: 100,
      orders: 100,
      failures: 0,
      duplicates: 0,
      callbackToOrder: summary(400, 1600),
      checkoutToOrder: summary(2000, 3500),
      windows: [
        { fromS: 0, n: 15, p50: 380, p95: 1500 },
        { fromS: 10, n: 0, p50: undefined, p95: undefined },
        { fromS: 20, n: 17, p50: 410, p95: 1650 },
      ],
      drift: 1.1,
      lastOrderAfterS: 61.2,
      peakRssMb: 650,
    },
    recovery: { payments: 500, recovered: 500, duplicates: 0, seconds: 61.3, floorSeconds: 50, ratioToFloor: 1.23, firstCheckS: 1.2, checksDoneS: 58.4, lipwaRequests: 500, maxPerSecond: 10, answered429: 0 },
    overhead: {
      withPlugin: { idleMb: 420, afterSystemBurstMb: 520, afterBurstsMb: 560, afterAllMb: 580 },
      withoutPlugin: { idleMb: 400, afterSystemBurstMb: 500, burstPeakMb: 600 },
      ratio: { idle: 1.05, afterSystemBurst: 1.04 },
      systemBurstWithoutPlugin: { throughput: 2.2, p95: 22000 },
    },
  },
}

describe("docs/performance.md", () => {
  const earlier = { date: "2026-12-01T09:00:00.000Z", durationS: 880, callbackLipia: 45.2, callbackLipwa: 29.9, checkoutCost: 1.7, burst: { 50: 1.05 }, sustainedDrift: 1.2, recoveryToFloor: 1.3, idleMemory: 1.05 }
  const now = { ...earlier, date: results.machine.date, callbackLipia: 48.18 }
  const doc = renderReport(results, [earlier, now], "## Findings\n\nWhere the time goes.\n")

  it("leads with every ratio of the run, its spread over rounds and the absolute figures it divides", () => {
    expect(doc).toContain("| Callback → order, Lipia: generic route / plugin route (p50) | ×48.18 | ×47.1 – ×49.3 (median ×48.2, 2 rounds) | 110 ms vs 5.30 s |")
    expect(doc).toContain("| Checkout cost: M-Pesa / `pp_system_default` (p50 server time) | ×1.61 |")
    expect(doc).toContain("| Burst of 50: M-Pesa / `pp_system_default` orders per second | ×1.1 |")
    expect(doc).toContain("×1.23 | – | 61.3 s vs 50 s; at most 10 req/s; 0 × 429 |")
    expect(doc).toContain("| Memory: server RSS with the plugin / without, idle | ×1.05 |")
  })

  it("states the machine, the warm-up and how to reproduce", () => {
    expect(doc).toContain("| CPU | 2 × Test CPU |")
    expect(doc).toContain("4 checkouts of each kind")
    expect(doc).toContain("npm run bench -- --quick")
  })

  it("shows every burst run with its duplicates, and the empty sustained window as a gap", () => {
    expect(doc).toMatch(/\| 50 M-Pesa \(Lipia\), round 1 \| 50\/50 \| 0 \| 0 \| 0 \| 0 \| 2\.3 \|/)
    expect(doc).toContain("| 10–20 s | 0 | – | – |")
  })

  it("ends with the repeated runs, this one last, and the hand-written findings", () => {
    expect(doc).toContain("| 2026-12-01 09:00 | ×45.2 | ×29.9 | ×1.7 | ×1.05 | ×1.2 | ×1.3 | ×1.05 | 15 min |")
    expect(doc).toContain("| 2026-12-02 10:00 (this run) | ×48.18 |")
    expect(doc.indexOf("## Repeated runs")).toBeLessThan(doc.indexOf("## Findings"))
  })

  it("leaves out what a partial run did not measure", () => {
    const partial = renderReport({ ...results, scenarios: { recovery: results.scenarios.recovery } })
    expect(partial).toContain("## 5. Recovery")
    expect(partial).not.toContain("## 1. Callback")
    expect(partial).not.toContain("## Repeated runs")
  })

  it("draws the latency distribution and the sustained windows as SVG files the doc links", () => {
    const svgs = charts(results)
    expect(Object.keys(svgs).sort()).toEqual([CHARTS.latency, CHARTS.sustained].sort())
    expect(doc).toContain(`images/${CHARTS.latency}`)
    expect(svgs[CHARTS.latency]).toContain("generic route, Lipwa (n 3)")
    expect((svgs[CHARTS.latency].match(/<polyline/g) ?? []).length).toBe(4)
  })
})

describe("charts", () => {
  it("puts 1-2-5 ticks on a log axis and round ticks on a linear one", () => {
    expect(logTicks(10, 10_000)).toEqual([10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000])
    expect(linearTicks(10)).toEqual([0, 2, 4, 6, 8, 10])
    expect(linearTicks(0)).toEqual([0])
  })

  it("escapes text and draws a step per sample in a CDF", () => {
    const svg = cdfChart({ title: "a < b & c", series: [{ label: "x", values: [1, 10, 100], color: "#000" }] })
    expect(svg).toContain("a &lt; b &amp; c")
    expect(svg.match(/<polyline[^>]*points="([^"]*)"/)[1].split(" ")).toHaveLength(6)
  })

  it("breaks nothing when a window has no value: the point is left out", () => {
    const svg = lineChart({ title: "t", xLabel: "s", yLabel: "ms", series: [{ label: "p95", color: "#000", points: [{ x: 5, y: 100 }, { x: 15 }, { x: 25, y: 300 }] }] })
    expect((svg.match(/<circle/g) ?? []).length).toBe(2)
  })
})
