import { perOrder } from "../lib/orders.mjs"
import { rowsByTable } from "../lib/report.mjs"
import { paymentSummary } from "../scenarios/payment.mjs"

/** A payment-phase run as paymentRound returns it (only the fields the summary reads). */
const run = (n, kind, round, { throughput, completed, main, orders = n, transactions, rows, p50, p95, withoutOrder = 0, duplicates = 0, held = 0 }) => ({
  n,
  kind,
  round,
  orders,
  throughput,
  completed,
  cpu: main === undefined ? {} : { main },
  duplicates,
  withoutOrder,
  held: kind === "mpesa" ? held : 0,
  session: { p50, p95 },
  database: { transactions, rows_written: rows },
})

describe("the payment-phase burst", () => {
  const runs = [
    run(50, "system", 0, { throughput: 2, completed: 1, main: 10, transactions: 100, rows: 40, p50: 40, p95: 80 }),
    run(50, "mpesa", 0, { throughput: 2, completed: 0.8, main: 15, transactions: 105, rows: 44, p50: 60, p95: 100 }),
    run(50, "system", 1, { throughput: 2.5, completed: 1, main: 10, transactions: 100, rows: 40, p50: 40, p95: 80 }),
    run(50, "mpesa", 1, { throughput: 2.25, completed: 1, main: 12.5, transactions: 120, rows: 50, p50: 70, p95: 160 }),
    run(200, "system", 0, { throughput: 1.6, transactions: 150, rows: 50, p50: 900, p95: 3000, withoutOrder: 12 }),
    run(200, "mpesa", 0, { throughput: 1.6, transactions: 150, rows: 60, p50: 1200, p95: 6000 }),
  ]
  const [at50, at200] = paymentSummary(runs)

  it("pairs each M-Pesa run with the system run of its round and reports the ratios' spread", () => {
    expect(at50.rounds).toEqual([
      { round: 0, throughput: 1, completed: 0.8, mainMsPerOrder: 1.5, transactions: 1.05, rows: 1.1, sessionP95: 1.25 },
      { round: 1, throughput: 0.9, completed: 1, mainMsPerOrder: 1.25, transactions: 1.2, rows: 1.25, sessionP95: 2 },
    ])
    // Main-thread time per order: 15 s over 50 orders is 300 ms, against 200.
    expect(at50.mainMsPerOrder.mpesa).toEqual({ n: 2, min: 250, median: 275, max: 300 })
    expect(at50.ratio.throughput).toEqual({ n: 2, min: 0.9, median: 0.95, max: 1 })
    expect(at50.ratio.transactions.median).toBeCloseTo(1.125, 10)
    expect(at50.transactions).toEqual({ mpesa: { n: 2, min: 105, median: 112.5, max: 120 }, system: { n: 2, min: 100, median: 100, max: 100 } })
    expect(at50.sessionP95.mpesa.median).toBe(130)
  })

  it("gives each ratio's median the goal's verdict, the session's at N = 50 only", () => {
    expect(at50.verdicts).toEqual({ throughput: "met", completed: "not met", transactions: "not met", rows: "not met", sessionP95: "not met" })
    // A run without the completion's end (an older results.json) has no verdict on it.
    expect(at200.verdicts).toEqual({ throughput: "met", completed: "–", transactions: "met", rows: "not met", sessionP95: undefined })
  })

  it("counts carts left without an order per kind, and duplicates over both", () => {
    expect(at200.withoutOrder).toEqual({ mpesa: 0, system: 12 })
    expect(at50.duplicates).toBe(0)
  })

  it("has no ratio when a kind did not run (recovery's baseline runs Medusa's own only)", () => {
    const [baseline] = paymentSummary([runs[0]])
    expect(baseline.throughput.system.median).toBe(2)
    expect(baseline.ratio.throughput).toEqual({ n: 0 })
    expect(baseline.verdicts.throughput).toBe("–")
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
