import { cdfChart, lineChart, linearTicks, logTicks } from "../lib/charts.mjs"
import { CHARTS, charts, durationsText, headline, historyColumns, historyRow, renderReport, runMinutes } from "../lib/report.mjs"

const summary = (p50, p95) => ({ n: 51, min: p50 / 2, p50, p95, max: p95 * 1.2, mean: p50 })

/** A run's results as bench/run.mjs writes them (figures invented; only their placement is checked). */
const results = {
  mode: "full",
  durationS: 900,
  durations: { setup: 9, "plugin server: boot, warm-up, memory": 70, payment: 400 },
  pinDelayMs: 500,
  answerAfterMs: 200,
  paymentAnswerMs: 300,
  sizes: { warmup: 4, rounds: 3, perRound: 17, genericRounds: 1, genericGapMs: 400, paymentRounds: { 50: 3, 200: 3 } },
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
      ratio: { p50: 1.61, p95: 1.55, complete: 0.35 },
      rounds: [{ round: 0, ratio: 1.6, complete: 0.35 }],
      spread: { n: 1, min: 1.6, median: 1.6, max: 1.6 },
      completeSpread: { n: 1, min: 0.35, median: 0.35, max: 0.35 },
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
      baselineFrom: "payment phase, N = 50, carts without inventory, Medusa's own median orders/s",
      lastOrderAfterS: 61.2,
      peakRssMb: 650,
    },
    payment: {
      runs: [
        { n: 50, kind: "system", round: 0, stock: false, orders: 50, duplicates: 0, withoutOrder: 0, held: 0, placedByRetry: 2, throughput: 2.4, completed: 2, payToOrder: summary(6100, 6500), cpu: { main: 10 }, session: summary(40, 90), database: { transactions: 210, rows_written: 60 } },
        { n: 50, kind: "mpesa", round: 0, stock: false, orders: 50, duplicates: 0, withoutOrder: 0, held: 0, placedByRetry: 0, throughput: 2.3, completed: 1.7, payToOrder: summary(9800, 12000), cpu: { main: 12.5 }, session: summary(70, 120), database: { transactions: 220, rows_written: 66 } },
        { n: 200, kind: "system", round: 0, stock: true, orders: 58, duplicates: 0, withoutOrder: 142, held: 0, placedByRetry: 40, throughput: 0.45, completed: 0.4, payToOrder: summary(100000, 120000), cpu: {}, session: summary(900, 3000) },
        { n: 200, kind: "mpesa", round: 0, stock: true, orders: 200, duplicates: 0, withoutOrder: 0, held: 0, placedByRetry: 3, throughput: 3.47, completed: 3.4, payToOrder: summary(33000, 50000), cpu: {}, session: summary(1200, 6000) },
      ],
      summary: [
        {
          n: 50,
          stock: false,
          throughput: { mpesa: { n: 1, min: 2.3, median: 2.3, max: 2.3 }, system: { n: 1, min: 2.4, median: 2.4, max: 2.4 } },
          medianRowS: { mpesa: { n: 1, min: 9.8, median: 9.8, max: 9.8 }, system: { n: 1, min: 6.1, median: 6.1, max: 6.1 } },
          lastRowS: { mpesa: { n: 1, min: 14.4, median: 14.4, max: 14.4 }, system: { n: 1, min: 7.8, median: 7.8, max: 7.8 } },
          completed: { mpesa: { n: 1, min: 1.7, median: 1.7, max: 1.7 }, system: { n: 1, min: 2, median: 2, max: 2 } },
          mainMsPerOrder: { mpesa: { n: 1, min: 250, median: 250, max: 250 }, system: { n: 1, min: 200, median: 200, max: 200 } },
          transactions: { mpesa: { n: 1, median: 220 }, system: { n: 1, median: 210 } },
          rows: { mpesa: { n: 1, median: 66 }, system: { n: 1, median: 60 } },
          sessionP95: { mpesa: { n: 1, median: 120 }, system: { n: 1, median: 90 } },
          ratio: {
            throughput: { n: 1, min: 0.96, median: 0.96, max: 0.96 },
            medianRow: { n: 1, min: 1.61, median: 1.61, max: 1.61 },
            lastRow: { n: 1, min: 1.85, median: 1.85, max: 1.85 },
            completed: { n: 1, min: 0.85, median: 0.85, max: 0.85 },
            mainMsPerOrder: { n: 1, min: 1.25, median: 1.25, max: 1.25 },
            transactions: { n: 1, min: 1.05, median: 1.05, max: 1.05 },
            rows: { n: 1, min: 1.1, median: 1.1, max: 1.1 },
            sessionP95: { n: 1, min: 1.33, median: 1.33, max: 1.33 },
          },
          verdicts: { throughput: "met", medianRow: "not met", lastRow: "not met", integrity: "met" },
          duplicates: 0,
          withoutOrder: { mpesa: 0, system: 0 },
          held: 0,
        },
        {
          n: 200,
          stock: true,
          throughput: { mpesa: { n: 1, min: 3.47, median: 3.47, max: 3.47 }, system: { n: 1, min: 0.45, median: 0.45, max: 0.45 } },
          ratio: {},
          verdicts: { failedCompletions: "met" },
          duplicates: 0,
          withoutOrder: { mpesa: 0, system: 142 },
          held: 0,
        },
      ],
    },
    recovery: { payments: 500, recovered: 500, duplicates: 0, seconds: 61.3, floorSeconds: 50, ratioToFloor: 1.23, throughput: 8.16, completionThroughput: 2.4, ratioToCompletion: 3.4, firstCheckS: 1.2, checksDoneS: 58.4, lipwaRequests: 500, maxPerSecond: 10, answered429: 0 },
    overhead: {
      withPlugin: {
        idle: { rssMb: 420, heapUsedMb: 150, treeRssMb: 420, samples: 5, samplesRssMb: [419, 420, 420, 421, 422], beforeGcRssMb: 500, beforeGcTreeRssMb: 500 },
        afterSystemBurst: { rssMb: 520, heapUsedMb: 160, samples: 5, samplesRssMb: [520] },
        afterAll: { rssMb: 580, heapUsedMb: 170, samples: 5, samplesRssMb: [580] },
      },
      withoutPlugin: {
        idle: { rssMb: 400, heapUsedMb: 140, treeRssMb: 400, samples: 5, samplesRssMb: [399, 400, 400, 401, 402], beforeGcRssMb: 420, beforeGcTreeRssMb: 420 },
        afterSystemBurst: { rssMb: 500, heapUsedMb: 150, samples: 5, samplesRssMb: [500] },
        burstPeakMb: 600,
      },
      idleOverheadMb: 20,
      idleHeapOverheadMb: 10,
      afterSystemBurstOverheadMb: 20,
      beforeGcOverheadMb: 80,
      verdict: "met",
      ratio: { idle: 1.05, afterSystemBurst: 1.04 },
      systemBurstWithoutPlugin: { throughput: 2.2, p95: 22000 },
    },
  },
}

describe("docs/performance.md", () => {
  const earlier = { date: "2026-12-01T09:00:00.000Z", durationS: 880, callbackLipia: 45.2, callbackLipwa: 29.9, checkoutCost: 1.7, burst: { 50: 1.05 }, sustainedDrift: 1.2, recoveryToFloor: 1.3, idleMemory: 1.05 }
  const now = { ...earlier, date: results.machine.date, callbackLipia: 48.18, payment: { 50: 0.96 }, completed: { 50: 0.85 }, medianRow: { 50: 1.61 }, lastRow: { 50: 1.85 }, failedCompletions: 0, completeAfterOrder: 0.35, paymentTransactions: 1.05, paymentRows: 1.1, sessionP95: 1.33, recoveryToCompletion: 3.4, idleOverheadMb: 20 }
  const doc = renderReport(results, [earlier, now], "## Findings\n\nWhere the time goes.\n")

  it("leads with every ratio of the run, its spread over rounds and the absolute figures it divides", () => {
    expect(doc).toContain("| Callback → order, Lipia: generic route / plugin route (p50) | ×48.18 | ×47.1 – ×49.3 (median ×48.2, 2 rounds) | 110 ms vs 5.30 s | – |")
    expect(doc).toContain("| One checkout: server time, M-Pesa / `pp_system_default` (p50) | ×1.61 | ×1.6 | 820 ms vs 510 ms | ≤ 1.3: not met |")
    expect(doc).toContain("| One checkout: the storefront's `complete` once the order exists (M-Pesa) / Medusa's own whole `complete` (p50) | ×0.35 | ×0.35 | 60 ms vs 170 ms | ≤ 1: met |")
    expect(doc).toContain("(80 % of Medusa's own): drift of callback → order p95 (last / first whole 10 s window) | ×1.1 | – | p95 1.60 s | ≤ 1.2: met |")
    expect(doc).toContain("| The full run's duration on this machine, without the one-time build of the plugin, the store and its carts | 14.9 min | – | setup 9 s · plugin server: boot, warm-up, memory 70 s · payment 6.7 min | ≤ 20 min: met |")
    expect(doc).toContain("| Burst of 50: M-Pesa / `pp_system_default` orders per second | ×1.1 |")
    expect(doc).toContain("completed orders per second (payment phase, 50) | ×3.4 | – | 8.16 vs 2.4 orders/s; 61.3 s, floor 50 s (×1.23); 0 × 429 | ≥ 0.9: met |")
    expect(doc).toContain("(after a forced GC, median of 5) | +20 MB | – | 420 MB vs 400 MB; heap used +10 MB | ≤ 30 MB: met |")
  })

  it("puts each goal and its verdict next to the payment phase's ratios: throughput, its shape, integrity, the kept check", () => {
    const label = "| Payment phase, 50 shoppers press Pay at once (no inventory), M-Pesa / `pp_system_default`"
    expect(doc).toContain(`${label}: orders per second, first Pay → last order row | ×0.96 | ×0.96 | 2.3 vs 2.4 orders/s; 0 duplicates; carts without an order 0 vs 0 | ≥ 0.85: met |`)
    expect(doc).toContain(`${label}: median order row (s after the first Pay) | ×1.61 | ×1.61 | 9.8 vs 6.1 s | ≤ 1.2: not met |`)
    expect(doc).toContain(`${label}: last order row (s after the first Pay) | ×1.85 | ×1.85 | 14.4 vs 7.8 s | ≤ 1.3: not met |`)
    expect(doc).toContain("| Payment phase at 50 (no inventory): duplicates + paid M-Pesa carts without an order | 0 | – | 0 duplicates; 0 paid M-Pesa carts without an order | ≤ 0: met |")
    expect(doc).toContain("carts whose product manages inventory: paid M-Pesa carts without an order (Medusa's own failures beside it, for information) | 0 | – | M-Pesa 0, Medusa's own 142 of 200; 3.47 vs 0.45 orders/s | ≤ 0: met |")
    expect(doc).toContain("## 3. Payment phase (the headline)")
    expect(doc).toContain("answered 300 ms later, **every callback delivered twice**")
    expect(doc).toMatch(/\| 50 M-Pesa \(Lipia\), round 1 \| 50\/50 \| 0 \| 0 \| 0 \| 0 \| 2\.3 \| 9\.8 s \| 14\.4 s \| 1\.7 \| 250 ms \| 70 ms \| 120 ms \| 220 \| 66 \|/)
    expect(doc).toContain("| 200 (inventory) `pp_system_default`, round 1 | 58/200 | 0 | 142 | – | 40 | 0.45 |")
    expect(doc).toContain("| median order row (s after the first Pay), M-Pesa / system | 50 | ×1.61 | ≤ 1.2 | not met |")
    expect(doc).toContain("| paid M-Pesa carts without an order (Medusa's own: 142) | 200, inventory | 0 | ≤ 0 | met |")
  })

  it("keeps transactions, rows, main-thread time and the session's p95 as diagnostics, without a goal", () => {
    expect(doc).toContain("| diagnostic: PostgreSQL transactions per order, M-Pesa / system (first round) | 50 | ×1.05 | – | – |")
    expect(doc).toContain("| diagnostic: rows written per order, M-Pesa / system (first round) | 50 | ×1.1 | – | – |")
    expect(doc).toContain("| diagnostic: server main-thread time per order, M-Pesa / system | 50 | ×1.25 | – | – |")
    expect(doc).toContain("| diagnostic: creating the payment session, p95, M-Pesa / system | 50 | ×1.33 | – | – |")
    expect(doc).not.toContain("≤ 1.1: met")
  })

  it("says what the sustained run's rate is 80 % of", () => {
    expect(doc).toContain("this run's payment phase at\nN = 50 on carts without inventory")
    expect(doc).toContain("(goal ≤ 1.2: met)")
  })

  it("reads the memory after a forced GC, every sample shown, the old single reading beside it", () => {
    expect(doc).toContain("| idle, after warm-up | 420 MB | 400 MB | +20 MB | 150 MB | 140 MB | +10 MB |")
    expect(doc).toContain("with the plugin 419, 420, 420, 421, 422 MB; without 399, 400, 400, 401, 402 MB")
    expect(doc).toContain("500 MB vs 420 MB (+80 MB)")
  })

  it("says where the run's time went", () => {
    expect(doc).toContain("Where this run's 15 minutes went: setup 9 s · plugin server: boot, warm-up, memory 70 s · payment 6.7 min.")
    expect(durationsText({ a: 89, b: 90, c: 1234 })).toBe("a 89 s · b 1.5 min · c 20.6 min")
  })

  it.each([
    ["a run on a machine's cached store", 1190, { setup: 2, payment: 600 }, 19.8],
    ["a machine's first run, its store and 2380 carts built", 2100, { build: 14, setup: 900, payment: 600 }, 19.8],
    ["a run without its durations (older results)", 1200, undefined, 20],
    ["no run", undefined, {}, undefined],
  ])("counts the minutes of %s without the one-time build", (_, durationS, durations, expected) => {
    expect(runMinutes(durationS, durations)).toBe(expected)
  })

  it("states the machine, the warm-up and how to reproduce", () => {
    expect(doc).toContain("| CPU | 2 × Test CPU |")
    expect(doc).toContain("4 checkouts of each kind")
    expect(doc).toContain("npm run bench -- --quick")
  })

  it("shows every burst run with its duplicates, and the empty sustained window as a gap", () => {
    expect(doc).toContain("| 50 M-Pesa (Lipia), round 1 | 50/50 | 0 | 0 | 0 | 0 | 2.3 | 21.0 s |")
    expect(doc).toContain("| 10–20 s | 0 | – | – |")
    // An older run's whole-checkout burst comes after the payment phase.
    expect(doc.indexOf("## 3. Payment phase")).toBeLessThan(doc.indexOf("## 3b. Whole-checkout burst"))
  })

  it("ends with the repeated runs, this one last, and the hand-written findings", () => {
    // The earlier run predates the payment phase, recovery / completion and the GC'd memory: "–".
    expect(doc).toContain("| 2026-12-01 09:00 | ×45.2 | ×29.9 | ×1.7 | ×1.05 | – | – | – | – | – | – | – | – | – | – | – | – | – | ×1.2 | ×1.3 | – | ×1.05 | – | 15 min |")
    expect(doc).toContain("| 2026-12-02 10:00 (this run) | ×48.18 | ×29.9 | ×1.7 | ×1.05 | ×0.96 | – | ×0.85 | – | ×1.61 | – | ×1.85 | – | 0 | ×0.35 | ×1.05 | ×1.1 | ×1.33 | ×1.2 | ×1.3 | ×3.4 | ×1.05 | +20 MB | 15 min |")
    expect(doc.indexOf("## Repeated runs")).toBeLessThan(doc.indexOf("## Findings"))
  })

  it("keeps a column for every burst size any run had, so an older run's figure is not dropped", () => {
    const columns = historyColumns([{ ...earlier, burst: { 50: 1.05, 200: 0.87 } }, now])
    expect(columns.map(([heading]) => heading).slice(3, 5)).toEqual(["burst 50", "burst 200"])
    expect(historyRow(now, columns, true).slice(4, 6)).toEqual(["×1.05", "–"])
  })

  it("takes a run's headline figures from its results, the new ones included", () => {
    expect(headline(results)).toEqual({
      date: "2026-12-02T10:00:00.000Z",
      durationS: 900,
      callbackLipia: 48.18,
      callbackLipwa: 31.47,
      checkoutCost: 1.61,
      completeAfterOrder: 0.35,
      burst: { 50: 1.1 },
      // The headline's carts only: the round on carts with inventory gives failedCompletions.
      payment: { 50: 0.96 },
      completed: { 50: 0.85 },
      medianRow: { 50: 1.61 },
      lastRow: { 50: 1.85 },
      failedCompletions: 0,
      paymentTransactions: 1.05,
      paymentRows: 1.1,
      sessionP95: 1.33,
      sustainedDrift: 1.1,
      recoveryToFloor: 1.23,
      recoveryToCompletion: 3.4,
      idleMemory: 1.05,
      idleOverheadMb: 20,
    })
  })

  it("shows the memory after a burst only for runs that read it (before issue 33)", () => {
    const { afterSystemBurst, ...withPlugin } = results.scenarios.overhead.withPlugin
    const overhead = { ...results.scenarios.overhead, withPlugin, withoutPlugin: { ...results.scenarios.overhead.withoutPlugin, afterSystemBurst: undefined } }
    const now = renderReport({ ...results, scenarios: { ...results.scenarios, overhead } })
    expect(afterSystemBurst).toBeDefined()
    expect(doc).toContain("after a 50-cart `pp_system_default` burst")
    expect(now).not.toContain("after a 50-cart `pp_system_default` burst")
    expect(now).toContain("| at the end of the run's scenarios | 580 MB |")
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
