import { keepsFollowing, SETTLING_WINDOW_MS } from "../desk-polling"

describe("the order panel keeps following the desk", () => {
  const now = Date.parse("2026-12-06T08:00:00Z")
  const at = (msAgo: number) => new Date(now - msAgo).toISOString()
  const attempt = { state: "paid" as const, order_id: "order_1", paid_without_order: false, resolved_at: null, pushed_at: at(5_000) }
  const order = { draft: false, outstanding: 0 }

  it.each([
    ["a prompt on the phone", { attempts: [{ ...attempt, state: "pending" as const, order_id: null }], balance: { draft: false, outstanding: 1160 } }, true],
    ["paid, not yet taken on the order", { attempts: [{ ...attempt, order_id: null }], balance: { draft: true, outstanding: 2320 } }, true],
    ["a draft paid in full, not yet converted", { attempts: [attempt], balance: { draft: true, outstanding: 0 } }, true],
    ["paid and taken on the order", { attempts: [attempt], balance: order }, false],
    ["paid with no order (held for the merchant)", { attempts: [{ ...attempt, order_id: null, paid_without_order: true }], balance: order }, false],
    ["a draft edited upwards after it was paid (stays a draft, owes the rest)", { attempts: [attempt], balance: { draft: true, outstanding: 500 } }, false],
    ["stuck placing for longer than the window", { attempts: [{ ...attempt, order_id: null, pushed_at: at(SETTLING_WINDOW_MS + 1) }], balance: order }, false],
    ["a prompt that failed", { attempts: [{ ...attempt, state: "failed" as const, order_id: null }], balance: { draft: false, outstanding: 1160 } }, false],
    ["nothing at all", { attempts: [], balance: null }, false],
  ])("%s → %p", (_, desk, expected) => {
    expect(keepsFollowing(desk, now)).toBe(expected)
  })
})
