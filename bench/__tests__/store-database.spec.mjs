import { cartPoolSize, cartsTemplateName, kept, pickCartPool, templateKey } from "../lib/store-database.mjs"

describe("the store's template database", () => {
  const inputs = [
    { path: "bench/app/seed.ts", content: Buffer.from("seed") },
    { path: "src/modules/mpesa/migrations/Migration1.ts", content: Buffer.from("create table") },
  ]

  it("is named by what it was built from, whatever order the files were listed in", () => {
    expect(templateKey(inputs, "2.21.2")).toMatch(/^[0-9a-f]{12}$/)
    expect(templateKey([...inputs].reverse(), "2.21.2")).toBe(templateKey(inputs, "2.21.2"))
  })

  it("is built again when a migration, the seed or Medusa's version changes", () => {
    const key = templateKey(inputs, "2.21.2")
    expect(templateKey(inputs, "2.21.3")).not.toBe(key)
    expect(templateKey([inputs[0], { ...inputs[1], content: Buffer.from("create table; alter") }], "2.21.2")).not.toBe(key)
    expect(templateKey([...inputs, { path: "src/modules/mpesa/migrations/Migration2.ts", content: Buffer.from("") }], "2.21.2")).not.toBe(key)
    // A file's name counts, not only its content.
    expect(templateKey([inputs[0], { ...inputs[1], path: "src/modules/mpesa/migrations/Migration9.ts" }], "2.21.2")).not.toBe(key)
  })
})

describe("the pool of carts ready to pay, kept with the template", () => {
  const template = "bench_tpl_0123456789ab"
  const calls = "POST /store/carts …"
  const pool = (free, stock, source = calls) => cartsTemplateName(template, { free, stock }, source)
  const full = { payment: [50, 200], paymentRounds: { 50: 3, 200: 3 }, stockRun: 200, sustainedCarts: 480, recovery: 500 }

  it.each([
    ["the full run: payment rounds and the sustained run without inventory, the kept check's 2 × 200 with", full, { free: 1980, stock: 400 }],
    ["a quick run", { payment: [50], paymentRounds: { 50: 1 }, stockRun: 50, sustainedCarts: 160, recovery: 100 }, { free: 260, stock: 100 }],
    ["recovery's own copy when it needs more", { payment: [50], paymentRounds: { 50: 1 }, recovery: 500 }, { free: 500, stock: 0 }],
  ])("holds what %s needs", (_, size, expected) => {
    expect(cartPoolSize(size)).toEqual(expected)
  })

  it("is named within PostgreSQL's 63 characters by both counts, and anew when the calls that prepare a cart change", () => {
    expect(pool(1980, 400).length).toBeLessThanOrEqual(63)
    expect(pool(1980, 400)).toMatch(new RegExp(`^${template}_c1980f400s_[0-9a-f]{8}$`))
    expect(pool(1980, 400, "POST /store/carts with a promotion")).not.toBe(pool(1980, 400))
  })

  it("a run reuses the largest pool big enough of both kinds (a quick run takes the full run's) and drops every other", () => {
    const names = [pool(260, 100), pool(1980, 400), pool(3000, 0), pool(1980, 400, "older calls"), `${pool(4000, 400)}_building`]
    expect(pickCartPool(names, { template, size: { free: 260, stock: 100 }, prepareSource: calls, hasList: () => true })).toEqual({
      reuse: pool(1980, 400),
      drop: [pool(260, 100), pool(3000, 0), pool(1980, 400, "older calls"), `${pool(4000, 400)}_building`],
    })
  })

  it("is built again when none is big enough of each kind, or the one there has no list of its carts (its build was cut short)", () => {
    expect(pickCartPool([pool(260, 100)], { template, size: { free: 1980, stock: 400 }, prepareSource: calls, hasList: () => true })).toEqual({ reuse: undefined, drop: [pool(260, 100)] })
    expect(pickCartPool([pool(3000, 0)], { template, size: { free: 1980, stock: 400 }, prepareSource: calls, hasList: () => true })).toEqual({ reuse: undefined, drop: [pool(3000, 0)] })
    expect(pickCartPool([pool(1980, 400)], { template, size: { free: 1980, stock: 400 }, prepareSource: calls, hasList: () => false })).toEqual({ reuse: undefined, drop: [pool(1980, 400)] })
    // A pool named before carts had kinds is never taken.
    expect(pickCartPool([`${template}_c600_${pool(1, 1).slice(-8)}`], { template, size: { free: 1, stock: 0 }, prepareSource: calls, hasList: () => true }).reuse).toBeUndefined()
  })

  it("survives a run's start with its template; a new template drops the old one's pools and copies", () => {
    expect(kept(template, template, true)).toBe(true)
    expect(kept(pool(1980, 400), template, true)).toBe(true)
    expect(kept("bench_run_plugin", template, true)).toBe(false)
    expect(kept("bench_tpl_ffffffffffff", template, true)).toBe(false)
    expect(kept(pool(1980, 400), template, false)).toBe(false)
  })
})
