import { busiestWindow, byWindow, percentile, ratio, spread, summarize, throughput } from "../lib/stats.mjs"

describe("bench arithmetic", () => {
  it.each([
    [[10], 50, 10],
    [[1, 2, 3, 4], 50, 2.5],
    [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 95, 9.55],
    [[5, 1, 3], 0, 1],
    [[5, 1, 3], 100, 5],
  ])("percentile(%j, %d) is %d (interpolated between ranks, input order irrelevant)", (values, p, expected) => {
    expect(percentile(values, p)).toBeCloseTo(expected, 10)
  })

  it("has no percentile, summary or ratio for nothing", () => {
    expect(percentile([], 50)).toBeUndefined()
    expect(summarize([])).toEqual({ n: 0 })
    expect(ratio(undefined, 2)).toBeUndefined()
    expect(ratio(2, 0)).toBeUndefined()
    expect(spread([undefined, Number.NaN])).toEqual({ n: 0 })
  })

  it("summarizes a sample to 0.1 ms", () => {
    expect(summarize([100, 200.04, 300, 400])).toEqual({ n: 4, min: 100, p50: 250, p95: 385, max: 400, mean: 250 })
  })

  it("rounds ratios to two decimals and reports their spread over rounds", () => {
    expect(ratio(5300, 112)).toBe(47.32)
    expect(spread([1.2, undefined, 1.5, 1.1])).toEqual({ n: 3, min: 1.1, median: 1.2, max: 1.5 })
  })

  it("finds the busiest second of a request log, counting a window as [t, t + 1 s)", () => {
    const at = [0, 100, 200, 999, 1000, 1001, 2500]
    expect(busiestWindow(at)).toBe(5) // 100, 200, 999, 1000, 1001
    expect(busiestWindow([0, 1000, 2000])).toBe(1)
    expect(busiestWindow([])).toBe(0)
  })

  it("groups samples into consecutive windows and keeps an empty one, so a stall shows", () => {
    const samples = [
      { at: 1_000, ms: 100 },
      { at: 2_000, ms: 300 },
      { at: 25_000, ms: 900 },
    ]
    expect(byWindow(samples, 0, 10_000, 30_000)).toEqual([
      { fromS: 0, n: 2, p50: 200, p95: 290 },
      { fromS: 10, n: 0, p50: undefined, p95: undefined },
      { fromS: 20, n: 1, p50: 900, p95: 900 },
    ])
  })

  it("counts throughput from the start to the last finish", () => {
    expect(throughput(50, 0, 25_000)).toBe(2)
    expect(throughput(5, 1000, 1000)).toBeUndefined()
  })
})
