import { defineWidgetConfig } from "@medusajs/admin-sdk"
import { ArrowPath } from "@medusajs/icons"
import type { DetailWidgetProps } from "@medusajs/framework/types"
import { Badge, Button, Container, Heading, Text, toast } from "@medusajs/ui"
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query"
import { useEffect, useRef } from "react"

import { AttemptTimeline } from "../components/attempt-timeline"
import { RecordPayment } from "../components/record-payment"
import { RequestPayment } from "../components/request-payment"
import { isPaidInFull, LIVE_STATES } from "../../payment/attempt-states"
import { FLAG_WORDS, kes, stateColor, testModeLine } from "../lib/format"
import { keepsFollowing } from "../lib/desk-polling"
import { convertedOrderPath, isMpesaQuery, isOrderPageQuery, keyNamesOrder, moneySignature, refreshOrderPage } from "../lib/order-queries"
import { sdk } from "../lib/sdk"
import type { OrderDesk, Recheck } from "../lib/types"

/**
 * The order's M-Pesa desk, on an order and on a draft order: what it still owes, with
 * "Request M-Pesa payment" (a prompt to the customer's phone, followed live) and "Record a
 * payment made outside the prompt"; every attempt as a timeline with the callbacks as received;
 * a re-check with the gateway; and, whenever a provider does not take real money, a badge that
 * says so. Renders nothing for an order that owes nothing and was never paid by M-Pesa.
 *
 * One truth on the page: the widget shares the dashboard's React Query client, so whenever the
 * desk's money changes — an action here, or a prompt paid on the customer's phone that the
 * panel's polling sees — Medusa's own order queries are invalidated ("Outstanding", payment
 * status and "Mark as paid" change without a reload); and whenever Medusa's order data changes
 * (shipping added, an edit), the desk is read again, so the amount on the button is what the
 * prompt will ask. On a draft's page, a draft that became an order leads to it — and Medusa's
 * draft queries are left alone once the draft is paid in full: its draft route answers 404 for
 * a converted draft, and refetching it would replace the page with an error.
 */
const MpesaOrderPanel = ({ data: order }: DetailWidgetProps<{ id: string }>) => {
  const queryClient = useQueryClient()
  const key = ["mpesa-order", order.id]
  const { data, isLoading } = useQuery({
    queryKey: key,
    queryFn: () => sdk.client.fetch<OrderDesk>(`/admin/mpesa/orders/${order.id}`),
    // The dashboard's client keeps data 90 s and never refetches on focus: the amount on the button must be today's.
    staleTime: 0,
    refetchOnWindowFocus: true,
    // Followed live while a prompt is on the customer's phone, and until its payment is taken on the order.
    refetchInterval: (q) => (q.state.data && keepsFollowing(q.state.data) ? 2_000 : false),
  })
  const recheck = useMutation({
    mutationFn: (id: string) => sdk.client.fetch<Recheck>(`/admin/mpesa/attempts/${id}/recheck`, { method: "POST" }),
    onSuccess: (result) => {
      toast.info("M-Pesa", { description: result.error ?? result.answer ?? result.attempt.state_in_words })
      // Settled, the desk's money changes and Medusa's cards follow (below).
      queryClient.invalidateQueries({ predicate: (q) => isMpesaQuery(q.queryKey) })
    },
    onError: (error) => toast.error("M-Pesa", { description: (error as Error).message }),
  })

  // Medusa converts a draft in place (same id, status no longer "draft"); on the draft's page, the panel leads to the order.
  const draftPage = convertedOrderPath(window.location.pathname, order.id)
  const becameOrder = data?.balance && !data.balance.draft ? draftPage : undefined

  // On a draft's page, a draft paid in full is about to become an order (or just did): Medusa's draft route then answers 404, and a refetch would replace the page with an error.
  const leaveDraftPageAlone = !!draftPage && !(data?.balance?.draft && data.balance.outstanding > 0)

  // Money moved on the desk (a prompt paid on the phone, a receipt recorded, a re-check that settled): Medusa's own cards read it again.
  const signature = data ? moneySignature(data) : undefined
  const seen = useRef<string>()
  useEffect(() => {
    if (signature && seen.current && seen.current !== signature && !leaveDraftPageAlone) {
      refreshOrderPage(queryClient)
    }
    seen.current = signature ?? seen.current
  }, [signature, leaveDraftPageAlone, queryClient])

  // Medusa's order data changed (shipping added to a draft, an order edit): the desk — and the amount on its button — is read again.
  useEffect(
    () =>
      queryClient.getQueryCache().subscribe((event) => {
        if (event.type === "updated" && event.action.type === "success" && isOrderPageQuery(event.query.queryKey) && keyNamesOrder(event.query.queryKey, order.id)) {
          queryClient.invalidateQueries({ queryKey: key })
        }
      }),
    [queryClient, order.id]
  )

  const attempts = data?.attempts ?? []
  const balance = data?.balance
  const providers = data?.providers ?? []
  const owes = !!balance && balance.outstanding > 0 && balance.currency_code === "kes" && providers.length > 0
  if (isLoading || (!attempts.length && !owes && !becameOrder)) {
    return null
  }
  const main = attempts.find((a) => isPaidInFull(a.state)) ?? attempts[0]
  const live = attempts.find((a) => LIVE_STATES.includes(a.state))
  const newestRequest = attempts.find((a) => a.origin === "admin_request")
  const ended = newestRequest?.tone === "ended" ? newestRequest : undefined
  const testMode = testModeLine(providers)

  return (
    <Container className="divide-y p-0" data-testid="mpesa-order-panel">
      <div className="flex items-center justify-between gap-x-2 px-6 py-4">
        <Heading level="h2" style={{ flexShrink: 0 }}>
          M-Pesa
        </Heading>
        <div className="flex flex-wrap items-center justify-end gap-1">
          {testMode ? (
            <Badge color="purple" size="2xsmall" data-testid="mpesa-test-mode" title="Payments here move no real money">
              {testMode}
            </Badge>
          ) : null}
          {main ? (
            <Badge color={stateColor(main)} size="2xsmall">
              {main.state_in_words}
            </Badge>
          ) : null}
        </div>
      </div>
      {becameOrder ? (
        <div className="px-6 py-4" data-testid="mpesa-became-order">
          <Text size="small">
            This draft became {balance!.display_id ? `order #${balance!.display_id}` : "an order"}.{" "}
            <a href={becameOrder} className="text-ui-fg-interactive hover:text-ui-fg-interactive-hover font-medium">
              Open {balance!.display_id ? `order #${balance!.display_id}` : "the order"}
            </a>
          </Text>
        </div>
      ) : null}
      {owes ? (
        <div className="flex flex-col gap-y-3 px-6 py-4" data-testid="mpesa-outstanding">
          <Text size="small">
            {balance!.draft ? "This draft order" : "This order"} owes <span className="font-medium">{kes(balance!.outstanding)}</span>.
          </Text>
          <RequestPayment orderId={order.id} outstanding={balance!.outstanding} phone={balance!.phone} providers={providers} live={live} ended={ended} />
          {/* While a prompt is live the customer may still pay it: recording another payment would be refused. */}
          {live ? null : <RecordPayment orderId={order.id} outstanding={balance!.outstanding} providers={providers} />}
        </div>
      ) : null}
      {main ? (
        <dl className="grid grid-cols-2 gap-y-2 px-6 py-4">
          <Row label="Gateway" value={main.gateway === "lipia" ? "Lipia Online" : "Lipwa"} />
          <Row label="Receipt" value={main.receipt ?? "—"} testId="mpesa-receipt" />
          <Row label="Paid" value={`${kes(main.amount_paid)} of ${kes(main.amount_requested)}`} testId="mpesa-amount" />
          <Row label="Phone" value={main.phone_masked} />
          {main.attested ? <Row label="Attested" value={main.attestation_note ?? "on the merchant's word"} testId="mpesa-attested" /> : null}
        </dl>
      ) : null}
      {main?.attention.map((a) => (
        <div key={a.flag} className="px-6 py-3">
          <Badge color="orange" size="2xsmall">
            {FLAG_WORDS[a.flag] ?? a.flag}
          </Badge>
          <Text size="small" className="mt-1">
            {a.what}
          </Text>
          <Text size="small" className="text-ui-fg-subtle">
            {a.todo}
          </Text>
        </div>
      ))}
      {attempts.length ? (
        <div className="px-6 py-4">
          <Text size="small" weight="plus" className="mb-2">
            Attempts
          </Text>
          <ol className="flex flex-col gap-y-3">
            {attempts.map((attempt) => (
              <AttemptTimeline key={attempt.id} attempt={attempt} />
            ))}
          </ol>
        </div>
      ) : null}
      {main ? (
        <div className="flex justify-end px-6 py-4">
          <Button size="small" variant="secondary" isLoading={recheck.isPending} onClick={() => recheck.mutate(main.id)}>
            <ArrowPath />
            Re-check with the gateway
          </Button>
        </div>
      ) : null}
    </Container>
  )
}

const Row = ({ label, value, testId }: { label: string; value: string; testId?: string }) => (
  <>
    <Text size="small" className="text-ui-fg-subtle">
      {label}
    </Text>
    <Text size="small" data-testid={testId}>
      {value}
    </Text>
  </>
)

export const config = defineWidgetConfig({ zone: ["order.details.side", "draft_order.details.side"] })

export default MpesaOrderPanel
