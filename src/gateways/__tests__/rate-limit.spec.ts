import { slotMs } from "../rate-limit"

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
