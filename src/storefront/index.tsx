"use client"

/**
 * `medusa-plugin-mpesa/storefront`: the checkout's M-Pesa step for a React storefront.
 * `useMpesaPayment` runs the polling contract (docs/storefront.md) — send, wait with a
 * countdown, follow a prompt already live after a reload or a second press, keep polling until
 * the order exists — and `MpesaPaymentStep` is that hook with a phone field, drawn with the
 * storefront's own components when it passes them (`ui`).
 */
import type {
  ButtonHTMLAttributes,
  ComponentType,
  HTMLAttributes,
  InputHTMLAttributes,
  ReactElement,
  ReactNode,
} from "react"
import { useCallback, useEffect, useId, useReducer, useRef, useState } from "react"

import type { MpesaCheckoutState, MpesaStartResult } from "./checkout.js"
import {
  SEND_AGAIN,
  completionPlacedOrder,
  formatCountdown,
  formatKes,
  initialMpesaCheckout,
  liveMpesaSession,
  mpesaCheckoutReducer,
  mpesaPhoneOf,
  secondsLeft as secondsUntil,
} from "./checkout.js"
import type { MedusaSdkLike } from "./start-payment.js"
import { mpesaPaymentStatus } from "./start-payment.js"
import { shownMpesaPhone } from "./shown-phone.js"

// Named exports only: Next.js refuses `export *` from a "use client" module. The helpers
// (isMpesa, mpesaReceipt, startMpesaPayment…) are `medusa-plugin-mpesa/storefront/helpers`.
export type { MpesaCheckoutState, MpesaPhase, MpesaStartResult, MpesaStatus } from "./checkout.js"
export type { MedusaSdkLike } from "./start-payment.js"

type Address = { phone?: string | null } | null
type SessionLike = { id: string; provider_id: string; status?: string; data?: Record<string, unknown> | null }

/** The cart as a Medusa storefront has it (`HttpTypes.StoreCart` fits). */
export type MpesaCart = {
  id: string
  total?: number | null
  currency_code?: string
  shipping_address?: Address
  billing_address?: Address
  payment_collection?: { payment_sessions?: SessionLike[] | null } | null
}

export type UseMpesaPaymentOptions = {
  /** A `@medusajs/js-sdk` instance with the publishable key: the browser polls the store with it. */
  sdk: MedusaSdkLike
  cart: MpesaCart
  providerId: string
  /** Sends the prompt; in Next.js a server action around `startMpesaPayment` (it must not throw). */
  start: (phone: string) => Promise<MpesaStartResult>
  /** Completes the cart once paid (the starter's `placeOrder`, which redirects to the order). */
  complete: () => Promise<unknown>
  /** Default 2000 ms (the contract asks for 2–3 s). */
  pollIntervalMs?: number
}

export type MpesaPayment = MpesaCheckoutState & {
  /** Seconds until the prompt expires; 0 once it has ("still waiting"); undefined before it is known. */
  secondsLeft?: number
  /** The number the prompt went to, masked in the format the shopper typed it ("0712 ••• 678"). */
  shownPhone?: string
  send: (phone: string) => Promise<void>
}

/** Retry a completion that did not give an order (the callback may still be placing it) this often. */
const COMPLETE_RETRY_MS = 5_000
/**
 * A payment with no order this long after it was seen paid is held for the merchant (its
 * message says so, and that the store will be in touch): stop asking, the page has said all.
 */
const PAID_FOLLOW_MS = 180_000

/**
 * Carts whose completion placed the order, for this page's life: a step mounted again (React's
 * strict mode in `next dev`, a re-render of the checkout while the redirect is under way) must
 * not complete the cart a second time.
 */
const placedCarts = new Set<string>()

export function useMpesaPayment({ sdk, cart, providerId, start, complete, pollIntervalMs = 2000 }: UseMpesaPaymentOptions): MpesaPayment {
  const [state, dispatch] = useReducer(mpesaCheckoutReducer, initialMpesaCheckout)
  const [now, setNow] = useState(() => Date.now())
  const [statusSeen, setStatusSeen] = useState(0)
  // The number as the shopper typed it for the last prompt; never sent anywhere but to `start`.
  const [typedPhone, setTypedPhone] = useState<string>()
  const completion = useRef<{ inFlight: boolean; lastTry: number; orderId?: string }>({ inFlight: false, lastTry: 0 })
  // The storefront may pass new functions on every render: the latest ones are called, nothing restarts.
  const actions = useRef({ start, complete })
  actions.current = { start, complete }

  // A reload (or a return to the checkout) during a live prompt picks the wait up again; so
  // does choosing another M-Pesa option while one's prompt is live (that prompt can still be
  // approved, and the plugin sends no second one meanwhile).
  useEffect(() => {
    const live = liveMpesaSession(cart)
    if (!live) {
      return
    }
    let cancelled = false
    mpesaPaymentStatus(sdk, live.id)
      .then((status) => {
        if (!cancelled) {
          const phone = typeof live.data?.phone === "string" ? live.data.phone : undefined
          dispatch({ type: "resume", sessionId: live.id, providerId: live.provider_id, phone, status })
        }
      })
      .catch(() => undefined)
    return () => {
      cancelled = true
    }
    // Only when the step appears or the shopper picks another provider, not on every cart refresh.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [providerId])

  // Poll until the order exists: a completion can return the cart while the callback still places it.
  const following = state.phase === "waiting" || state.phase === "paid"
  const paidSince = useRef<number>()
  if (state.phase === "paid" && paidSince.current === undefined) {
    paidSince.current = Date.now()
  }
  useEffect(() => {
    const sessionId = state.sessionId
    if (!following || !sessionId) {
      return
    }
    let stopped = false
    let timer: ReturnType<typeof setInterval> | undefined
    const poll = async () => {
      if (paidSince.current !== undefined && Date.now() - paidSince.current > PAID_FOLLOW_MS) {
        stopped = true
        clearInterval(timer)
        return
      }
      const status = await mpesaPaymentStatus(sdk, sessionId).catch(() => undefined)
      if (!stopped && status) {
        dispatch({ type: "status", status })
        setStatusSeen((n) => n + 1)
      }
    }
    void poll()
    timer = setInterval(poll, pollIntervalMs)
    return () => {
      stopped = true
      clearInterval(timer)
    }
  }, [sdk, following, state.sessionId, pollIntervalMs])

  // Paid → complete: at once, again when the order appears, and every few seconds meanwhile,
  // until one call has placed the order: then never again (placeOrder cannot run twice).
  useEffect(() => {
    const c = completion.current
    if (state.phase !== "paid" || c.inFlight || placedCarts.has(cart.id) || Date.now() - (paidSince.current ?? 0) > PAID_FOLLOW_MS) {
      return
    }
    const orderAppeared = !!state.orderId && c.orderId !== state.orderId
    if (c.lastTry && !orderAppeared && Date.now() - c.lastTry < COMPLETE_RETRY_MS) {
      return
    }
    Object.assign(c, { inFlight: true, lastTry: Date.now(), orderId: state.orderId })
    const cartId = cart.id
    actions.current
      .complete()
      .then(
        (value) => completionPlacedOrder({ value }),
        (error: unknown) => completionPlacedOrder({ error }) // otherwise not an order yet: the poll goes on, and so do the retries
      )
      .then((placed) => {
        if (placed) {
          placedCarts.add(cartId)
        }
        c.inFlight = false
      })
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [state.phase, state.orderId, statusSeen])

  // The countdown's clock, only while someone looks at it.
  useEffect(() => {
    if (state.phase !== "waiting" || state.expiresAt === undefined) {
      return
    }
    // At once too: the clock stood still since the last wait, which may be minutes ago.
    setNow(Date.now())
    const timer = setInterval(() => setNow(Date.now()), 1000)
    return () => clearInterval(timer)
  }, [state.phase, state.expiresAt])

  const send = useCallback(
    async (phone: string) => {
      dispatch({ type: "send" })
      setTypedPhone(phone)
      const result = await actions.current.start(phone).catch(
        (): MpesaStartResult => ({ ok: false, message: "We could not send the M-Pesa prompt. Try again." })
      )
      dispatch(result.ok ? { type: "started", result } : { type: "refused", message: result.message })
    },
    []
  )

  return { ...state, secondsLeft: secondsUntil(state.expiresAt, now), shownPhone: shownMpesaPhone(typedPhone, state.phone), send }
}

/** The storefront's own primitives; any left out are drawn as plain elements. */
export type MpesaStepComponents = {
  Button?: ComponentType<ButtonHTMLAttributes<HTMLButtonElement> & { isLoading?: boolean; size?: "small" | "medium" | "large" }>
  Input?: ComponentType<InputHTMLAttributes<HTMLInputElement> & { label?: string }>
  Text?: ComponentType<HTMLAttributes<HTMLParagraphElement>>
  ErrorMessage?: ComponentType<{ error?: string | null; "data-testid"?: string }>
}

export type MpesaPaymentStepProps = UseMpesaPaymentOptions & { ui?: MpesaStepComponents; className?: string }

/**
 * The M-Pesa step: the phone field and "Pay KES … with M-Pesa", then "Waiting for M-Pesa" with a
 * countdown, then the receipt while the order is placed. A refusal or an ended prompt shows
 * the plugin's words, and the button sends the prompt again.
 */
export function MpesaPaymentStep({ ui = {}, className, ...options }: MpesaPaymentStepProps): ReactElement {
  const { Button = PlainButton, Input = PlainInput, Text = PlainText, ErrorMessage = PlainError } = ui
  const payment = useMpesaPayment(options)
  const [phone, setPhone] = useState(() => mpesaPhoneOf(options.cart))
  const fieldId = useId()
  const amount = formatKes(options.cart.total)

  if (payment.phase === "waiting") {
    const left = payment.secondsLeft
    return (
      <Box className={className} testId="mpesa-waiting" live>
        <Text className="txt-medium-plus text-ui-fg-base font-semibold">Waiting for M-Pesa</Text>
        <Text className="txt-medium text-ui-fg-subtle">
          We sent a payment prompt for {amount} to {payment.shownPhone || shownMpesaPhone(phone, undefined) || phone}.
        </Text>
        {payment.providerId && payment.providerId !== options.providerId ? (
          <Text className="txt-medium text-ui-fg-subtle" data-testid="mpesa-live-elsewhere">
            {LIVE_PROMPT_CONTINUES}
          </Text>
        ) : null}
        {payment.message ? (
          <Text className="txt-medium text-ui-fg-subtle" data-testid="mpesa-message">
            {payment.message}
          </Text>
        ) : null}
        {left !== undefined ? (
          <Text className="txt-medium text-ui-fg-subtle" data-testid="mpesa-countdown">
            {left > 0 ? `The prompt expires in ${formatCountdown(left)}.` : "Still waiting for M-Pesa…"}
          </Text>
        ) : null}
      </Box>
    )
  }
  if (payment.phase === "paid") {
    return (
      <Box className={className} testId="mpesa-paid" live>
        <Text className="txt-medium-plus text-ui-fg-base font-semibold" data-testid="mpesa-message">
          {payment.message || "Payment received."}
        </Text>
        {payment.receipt ? (
          <Text className="txt-medium text-ui-fg-subtle">
            M-Pesa receipt <span data-testid="mpesa-receipt">{payment.receipt}</span>
          </Text>
        ) : null}
      </Box>
    )
  }
  return (
    <Box className={className} testId="mpesa-form">
      <label htmlFor={fieldId} className="txt-medium-plus text-ui-fg-base">
        M-Pesa phone number
      </label>
      <Input
        id={fieldId}
        name="mpesa_phone"
        type="tel"
        inputMode="tel"
        autoComplete="tel"
        placeholder="0712 345 678"
        value={phone}
        onChange={(e) => setPhone(e.target.value)}
        data-testid="mpesa-phone-input"
      />
      <p className="text-small-regular text-ui-fg-subtle">The payment prompt goes to this Safaricom number.</p>
      <ErrorMessage error={payment.error} data-testid="mpesa-error" />
      <Button
        size="large"
        type="button"
        onClick={() => void payment.send(phone)}
        isLoading={payment.phase === "sending"}
        disabled={!phone.trim() || payment.phase === "sending"}
        data-testid="mpesa-pay-button"
      >
        {payment.error ? SEND_AGAIN : `Pay ${amount} with M-Pesa`}
      </Button>
    </Box>
  )
}

/** Shown when the shopper chose another M-Pesa option while a prompt was on their phone. */
const LIVE_PROMPT_CONTINUES =
  "The prompt already on your phone still counts: approve it there to pay. If it expires or you cancel it, you can send a new one with the option you chose."

function Box({ children, className, testId, live }: { children: ReactNode; className?: string; testId: string; live?: boolean }) {
  return (
    <div className={["mt-6 flex flex-col gap-y-2", className].filter(Boolean).join(" ")} data-testid={testId} aria-live={live ? "polite" : undefined}>
      {children}
    </div>
  )
}

function PlainButton({ isLoading, size: _size, children, ...props }: ButtonHTMLAttributes<HTMLButtonElement> & { isLoading?: boolean; size?: string }) {
  return <button {...props}>{isLoading ? "Sending…" : children}</button>
}

function PlainInput({ label: _label, ...props }: InputHTMLAttributes<HTMLInputElement> & { label?: string }) {
  return <input {...props} />
}

function PlainText(props: HTMLAttributes<HTMLParagraphElement>) {
  return <p {...props} />
}

function PlainError({ error, "data-testid": testId }: { error?: string | null; "data-testid"?: string }) {
  return error ? (
    <p role="alert" data-testid={testId}>
      {error}
    </p>
  ) : null
}
