import { perOrder } from "../lib/orders.mjs"
import { rowsByTable } from "../lib/report.mjs"
import { paymentSummary } from "../scenarios/payment.mjs"
import { sustainedBaseline } from "../scenarios/sustained.mjs"

/** A payment-phase run as paymentRound returns it (only the fields the summary reads). */
const run = (n, kind, round, { stock = false, throughput, completed, main, orders = n, transactions, rows, p50, p95, rowP50, lastRow, withoutOrder = 0, duplicates = 0, held = 0 }) => ({
  n,
  kind,
  round,
  stock,
  orders,
  throughput,
  completed,
  cpu: main === undefined ? {} : { main },
  duplicates,
  withoutOrder,
  held: kind === "mpesa" ? held : 0,
  session: { p50, p95 },
  payToOrder: rowP50 === undefined ? { n: 0 } : { n: orders, p50: rowP50, max: lastRow },
  database: { transactions, rows_written: rows },
})

describe("the payment phase", () => {
  const runs = [
    run(50, "system", 0, { throughput: 2, completed: 1, main: 10, transactions: 100, rows: 40, p50: 40, p95: 80, rowP50: 6000, lastRow: 7000 }),
    run(50, "mpesa", 0, { throughput: 2, completed: 0.8, main: 15, transactions: 105, rows: 44, p50: 60, p95: 100, rowP50: 6600, lastRow: 9100 }),
    run(50, "mpesa", 1, { throughput: 2.25, completed: 1, main: 12.5, transactions: 120, rows: 50, p50: 70, p95: 160, rowP50: 7500, lastRow: 8000 }),
    run(50, "system", 1, { throughput: 2.5, completed: 1, main: 10, transactions: 100, rows: 40, p50: 40, p95: 80, rowP50: 5000, lastRow: 8000 }),
    run(50, "system", 2, { throughput: 2.5, completed: 1, main: 10, p50: 40, p95: 80, rowP50: 5000, lastRow: 6000 }),
    run(50, "mpesa", 2, { throughput: 1.5, completed: 1, main: 12.5, p50: 70, p95: 160, rowP50: 10000, lastRow: 12000, duplicates: 1 }),
    run(200, "system", 0, { throughput: 1.6, transactions: 150, rows: 50, p50: 900, p95: 3000, rowP50: 60000, lastRow: 100000 }),
    run(200, "mpesa", 0, { throughput: 1.6, transactions: 150, rows: 60, p50: 1200, p95: 6000, rowP50: 60000, lastRow: 120000 }),
    run(200, "system", 0, { stock: true, throughput: 0.45, p50: 900, p95: 3000, orders: 58, withoutOrder: 142 }),
    run(200, "mpesa", 0, { stock: true, throughput: 3.5, p50: 900, p95: 3000 }),
  ]
  const [at50, at200, stocked] = paymentSummary(runs)

  it("groups the runs by N and kind of cart, the carts with inventory apart", () => {
    expect([at50, at200, stocked].map(({ n, stock }) => [n, stock])).toEqual([
      [50, false],
      [200, false],
      [200, true],
    ])
  })

  it("pairs each M-Pesa run with the system run of its round, whichever went first, and reports the ratios' spread", () => {
    expect(at50.rounds.slice(0, 2)).toEqual([
      { round: 0, throughput: 1, medianRow: 1.1, lastRow: 1.3, completed: 0.8, mainMsPerOrder: 1.5, transactions: 1.05, rows: 1.1, sessionP95: 1.25 },
      { round: 1, throughput: 0.9, medianRow: 1.5, lastRow: 1, completed: 1, mainMsPerOrder: 1.25, transactions: 1.2, rows: 1.25, sessionP95: 2 },
    ])
    // Main-thread time per order: 15 s over 50 orders is 300 ms, against 200.
    expect(at50.mainMsPerOrder.mpesa).toEqual({ n: 3, min: 250, median: 250, max: 300 })
    expect(at50.ratio.throughput).toEqual({ n: 3, min: 0.6, median: 0.9, max: 1 })
    // Work per order is read in the first round(s) only: the median of what was read.
    expect(at50.ratio.transactions).toEqual({ n: 2, min: 1.05, median: 1.125, max: 1.2 })
    expect(at50.medianRowS).toEqual({ mpesa: { n: 3, min: 6.6, median: 7.5, max: 10 }, system: { n: 3, min: 5, median: 5, max: 6 } })
    expect(at50.sessionP95.mpesa.median).toBe(160)
  })

  it.each([
    ["N = 50: throughput under 0.85, the median row late, the last row within 1.3, a duplicate", () => at50.verdicts, { throughput: "met", medianRow: "not met", lastRow: "met", integrity: "not met" }],
    ["N = 200: same rate, the last row ×1.2", () => at200.verdicts, { throughput: "met", medianRow: "met", lastRow: "met", integrity: "met" }],
    ["N = 200 with inventory: no paid M-Pesa cart without an order, whatever Medusa's own lost", () => stocked.verdicts, { failedCompletions: "met" }],
  ])("gives each goal its verdict on the median of the rounds: %s", (_, verdicts, expected) => {
    expect(verdicts()).toEqual(expected)
  })

  it("fails the throughput goal below 0.85 and the kept check on one lost M-Pesa cart", () => {
    const [slow] = paymentSummary([run(50, "system", 0, { throughput: 2, rowP50: 1, lastRow: 1 }), run(50, "mpesa", 0, { throughput: 1.68, rowP50: 1, lastRow: 1 })])
    expect(slow.verdicts.throughput).toBe("not met")
    const [lost] = paymentSummary([run(200, "system", 0, { stock: true, throughput: 1 }), run(200, "mpesa", 0, { stock: true, throughput: 1, withoutOrder: 1 })])
    expect(lost.verdicts.failedCompletions).toBe("not met")
  })

  it("counts carts left without an order per kind, and duplicates over both", () => {
    expect(stocked.withoutOrder).toEqual({ mpesa: 0, system: 142 })
    expect(at50.duplicates).toBe(1)
  })

  it("has no ratio and no verdict when a kind did not run (recovery's baseline runs Medusa's own only)", () => {
    const [baseline] = paymentSummary([runs[0]])
    expect(baseline.throughput.system.median).toBe(2)
    expect(baseline.ratio.throughput).toEqual({ n: 0 })
    expect(baseline.verdicts).toEqual({ throughput: "–", medianRow: "–", lastRow: "–", integrity: "–" })
  })
})

describe("the sustained run's rate", () => {
  it.each([
    ["Medusa's own median at N = 50 on carts without inventory", [{ n: 200, stock: false, throughput: { system: { median: 3 } } }, { n: 50, stock: true, throughput: { system: { median: 1 } } }, { n: 50, stock: false, throughput: { system: { median: 6.2 } } }], 6.2],
    ["nothing when the payment phase did not run", undefined, undefined],
  ])("is 80 %% of %s", (_, summary, expected) => {
    expect(sustainedBaseline(summary)).toBe(expected)
  })
})

describe("rows written per order, by table", () => {
  it("divides each table's rows by the orders, drops tables nobody wrote to, and keeps the totals whole", () => {
    const before = { transactions: 1000, rows_written: 500, tables: { cart: 100, order: 40, mpesa_attempt: 7 } }
    const after = { transactions: 1950, rows_written: 980, tables: { cart: 150, order: 60, mpesa_attempt: 7, mpesa_callback: 40 } }
    expect(perOrder(before, after, 20)).toEqual({ transactions: 48, rows_written: 24, tables: { cart: 2.5, mpesa_callback: 2, order: 1 } })
  })

  it("sets M-Pesa's tables beside Medusa's own for the first round at the smallest N, the extra rows first", () => {
    const at = (n, kind, round, tables) => ({ n, kind, round, database: { tables } })
    const by = rowsByTable([
      at(200, "system", 0, { order: 9 }),
      at(50, "system", 0, { order: 1, payment: 1 }),
      at(50, "mpesa", 0, { order: 1, payment: 2, mpesa_attempt: 4 }),
      at(50, "mpesa", 1, { order: 7 }),
    ])
    expect(by).toEqual({
      n: 50,
      rows: [
        { table: "mpesa_attempt", mpesa: 4, system: 0, extra: 4 },
        { table: "payment", mpesa: 2, system: 1, extra: 1 },
        { table: "order", mpesa: 1, system: 1, extra: 0 },
      ],
    })
  })

  it("has nothing to show when a kind did not run", () => {
    expect(rowsByTable([{ n: 50, kind: "system", round: 0, database: { tables: { order: 1 } } }])).toBeUndefined()
  })
})
