import { turns } from "../turns"

/** A piece of work that ends when the test says so, noting when it started. */
function gate(started: string[], name: string) {
  let open!: () => void
  let fail!: (error: Error) => void
  const done = new Promise<string>((resolve, reject) => {
    open = () => resolve(name)
    fail = reject
  })
  return { work: () => (started.push(name), done), open, fail }
}

const tick = () => new Promise((resolve) => setImmediate(resolve))

describe("turns", () => {
  it("runs at most `limit` at once and starts the waiting ones first come, first served", async () => {
    const inTurn = turns(2)
    const started: string[] = []
    const [a, b, c, d] = ["a", "b", "c", "d"].map((name) => gate(started, name))
    const results = [a, b, c, d].map((g) => inTurn(g.work))
    await tick()
    expect(started).toEqual(["a", "b"])
    b.open()
    await tick()
    expect(started).toEqual(["a", "b", "c"])
    a.open()
    await tick()
    expect(started).toEqual(["a", "b", "c", "d"])
    c.open()
    d.open()
    await expect(Promise.all(results)).resolves.toEqual(["a", "b", "c", "d"])
  })

  it("hands the turn on when a run fails, and the failure reaches its caller", async () => {
    const inTurn = turns(1)
    const started: string[] = []
    const [a, b] = ["a", "b"].map((name) => gate(started, name))
    const first = inTurn(a.work)
    const second = inTurn(b.work)
    await tick()
    a.fail(new Error("lock timed out"))
    await expect(first).rejects.toThrow("lock timed out")
    await tick()
    expect(started).toEqual(["a", "b"])
    b.open()
    await expect(second).resolves.toBe("b")
  })

  it("frees its places once everything ended (a later burst runs at the same width)", async () => {
    const inTurn = turns(2)
    await Promise.all([1, 2, 3].map((n) => inTurn(async () => n)))
    const started: string[] = []
    const [a, b, c] = ["a", "b", "c"].map((name) => gate(started, name))
    const all = [a, b, c].map((g) => inTurn(g.work))
    await tick()
    expect(started).toEqual(["a", "b"])
    ;[a, b, c].forEach((g) => g.open())
    await Promise.all(all)
  })

  it.each([0, -1, 1.5, NaN])("refuses the limit %p", (limit) => {
    expect(() => turns(limit)).toThrow(/positive whole number/)
  })
})
