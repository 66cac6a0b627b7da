import { GET } from "../../api/store/mpesa/payment-sessions/[id]/route"
import { FOLLOWED_SESSION_STATES, MPESA_STATUSES, parseMpesaStatus } from "../../storefront/contract"
import { attemptForSession } from "../../workflows/adopt-mpesa-session"
import { cartAndOrderOfCollection } from "../../workflows/queries/find-order"
import { mirrorVerdict } from "../../workflows/steps/mirror-verdict"
import { ATTEMPT_STATES, isPaidInFull, LIVE_STATES, shopperStatus, type AttemptState } from "../attempt"

// The poll route's I/O, replaced: what is under test is the answer it builds from the ledger.
jest.mock("../../workflows/adopt-mpesa-session", () => ({ attemptForSession: jest.fn() }))
jest.mock("../../workflows/queries/find-order", () => ({ cartAndOrderOfCollection: jest.fn() }))
jest.mock("../../workflows/steps/mirror-verdict", () => ({ mirrorVerdict: jest.fn() }))
jest.mock("../../workflows/recheck-mpesa-payment", () => ({ recheckMpesaPaymentWorkflow: jest.fn() }))
jest.mock("../plugin-options", () => ({ pluginOptions: () => ({ statusRecheckAfterMs: 15_000, promptLifetimeMs: 120_000 }) }))

type Flags = { paid_without_order?: boolean; paid_twice?: boolean; unverified?: boolean; order_id?: string | null }

function ledgerRow(state: AttemptState, flags: Flags = {}) {
  return {
    id: "mpatt_1",
    state,
    message: `${state} message`,
    receipt: "TLP4ABC123",
    // Just pushed: the route answers from the ledger without asking the gateway.
    pushed_at: new Date(),
    payment_collection_id: "pay_col_1",
    order_id: null,
    paid_without_order: false,
    paid_twice: false,
    unverified: false,
    ...flags,
  }
}

/** What the route answers on the wire for this ledger row. */
async function polled(state: AttemptState, flags: Flags = {}, orderOfCart?: string): Promise<unknown> {
  jest.mocked(attemptForSession).mockResolvedValue(ledgerRow(state, flags) as never)
  jest.mocked(cartAndOrderOfCollection).mockResolvedValue(orderOfCart ? { cart_id: "cart_1", order_id: orderOfCart } : { cart_id: "cart_1" })
  jest.mocked(mirrorVerdict).mockResolvedValue(null)
  let body: unknown
  const res = {
    status: () => res,
    json: (sent: unknown) => {
      body = JSON.parse(JSON.stringify(sent))
    },
  }
  await GET({ scope: {}, params: { id: "payses_1" } } as never, res as never)
  return body
}

const variants: Array<[string, Flags, string | undefined]> = [
  ["as it is", {}, undefined],
  ["with its order", { order_id: "order_1" }, undefined],
  ["whose cart became an order", {}, "order_2"],
  ["paid without order", { paid_without_order: true }, undefined],
  ["paid twice", { paid_twice: true, order_id: "order_1" }, undefined],
  ["reported by an unverifiable callback", { unverified: true }, undefined],
]
const cases = ATTEMPT_STATES.flatMap((state) => variants.map(([what, flags, order]) => [state, what, flags, order] as const))

describe("the poll's answer is the storefront's contract", () => {
  it.each(cases)("an attempt %s (%s): the route's answer parses, whole, with the storefront's parser", async (state, _what, flags, order) => {
    const body = await polled(state, flags, order)
    expect(parseMpesaStatus(body)).toEqual(body)
  })

  it.each(ATTEMPT_STATES.map((state) => [state]))("an attempt %s is shown to the shopper as the lifecycle says", async (state) => {
    const answer = parseMpesaStatus(await polled(state))
    expect(answer).toMatchObject({ id: "payses_1", status: shopperStatus(state), message: expect.any(String) })
    expect(Date.parse(answer.expires_at!)).toBeGreaterThan(Date.now())
    expect(answer.receipt).toBe(shopperStatus(state) === "paid" ? "TLP4ABC123" : undefined)
  })

  it("every status the contract names is one some state is shown as, and no other", () => {
    expect(new Set(ATTEMPT_STATES.map(shopperStatus))).toEqual(new Set(MPESA_STATUSES))
  })

  it("a reloaded page follows a session in exactly the live states and the paid-in-full one", () => {
    expect([...FOLLOWED_SESSION_STATES].sort()).toEqual(ATTEMPT_STATES.filter((s) => LIVE_STATES.includes(s) || isPaidInFull(s)).sort())
  })
})
