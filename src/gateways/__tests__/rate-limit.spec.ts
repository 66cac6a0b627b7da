import { BudgetExhausted, createRequestLimiter, MAX_WAIT_MS, slotMs } from "../rate-limit"

describe("slotMs", () => {
  it.each([
    [10, 112],
    [5, 251],
    [2, 1001],
  ])("spaces calls for %p/s every %p ms", (perSecond, expected) => {
    expect(slotMs(perSecond)).toBe(expected)
  })

  it.each([1, 0, 2.5])("refuses %p/s, which one-per-slot spacing cannot guarantee", (perSecond) => {
    expect(() => slotMs(perSecond)).toThrow(RangeError)
  })

  it.each([2, 3, 5, 10, 20, 50])("never lets %p/s be exceeded in any one-second window", (perSecond) => {
    // One call per slot: a 1000 ms window (half-open) touches at most floor(999/s) + 2 slots.
    const slot = slotMs(perSecond)
    expect(Math.floor(999 / slot) + 2).toBeLessThanOrEqual(perSecond)
  })
})

describe("the request budget (one process)", () => {
  beforeEach(() => {
    jest.useFakeTimers({ now: Date.parse("2026-12-03T10:00:00Z") })
  })
  afterEach(() => {
    jest.useRealTimers()
  })

  it("hands out one slot per slotMs, each waiting its turn", async () => {
    const limiter = createRequestLimiter({ apiKey: "k1", perSecond: 10 })
    const waits = [await limiter.reserve(10_000), await limiter.reserve(10_000), await limiter.reserve(10_000)]
    expect(waits.map((slot) => slot!.waitMs)).toEqual([0, 112, 224])
  })

  it("gives a poll a slot only when one is free now, and reserves nothing when it is not", async () => {
    const limiter = createRequestLimiter({ apiKey: "k2", perSecond: 10 })
    expect((await limiter.reserve(MAX_WAIT_MS.poll))?.waitMs).toBe(0)
    expect(await limiter.reserve(MAX_WAIT_MS.poll)).toBeUndefined()
    // The refused poll took nothing: a push still gets the very next slot.
    expect((await limiter.reserve(MAX_WAIT_MS.push))?.waitMs).toBe(112)
    jest.setSystemTime(Date.now() + 224)
    expect((await limiter.reserve(MAX_WAIT_MS.poll))?.waitMs).toBe(0)
  })

  it("never lets a flood of polls stand in front of a push", async () => {
    const limiter = createRequestLimiter({ apiKey: "k3", perSecond: 10 })
    const polls = await Promise.all(Array.from({ length: 50 }, () => limiter.reserve(MAX_WAIT_MS.poll)))
    expect(polls.filter((slot) => slot !== undefined).map((slot) => slot!.waitMs)).toEqual([0])
    expect((await limiter.reserve(MAX_WAIT_MS.push))?.waitMs).toBe(112)
  })

  it("bounds every wait: beyond its class's limit a request is refused at once, not queued", async () => {
    const limiter = createRequestLimiter({ apiKey: "k4", perSecond: 10 })
    // 5 s of job checks fill the budget…
    const jobs = await Promise.all(Array.from({ length: 60 }, () => limiter.reserve(MAX_WAIT_MS.job)))
    expect(jobs.filter((wait) => wait === undefined)).toHaveLength(60 - (Math.floor(MAX_WAIT_MS.job / 112) + 1))
    // …and a push still finds a slot within its own bound, behind them.
    expect((await limiter.reserve(MAX_WAIT_MS.push))!.waitMs).toBe((Math.floor(MAX_WAIT_MS.job / 112) + 1) * 112)
    await expect(limiter.acquire(0)).rejects.toBeInstanceOf(BudgetExhausted)
  })
})
