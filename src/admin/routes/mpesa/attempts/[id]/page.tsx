import { ArrowPath, ArrowUturnLeft } from "@medusajs/icons"
import { Badge, Button, Container, Heading, Text, toast } from "@medusajs/ui"
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query"
import type { ReactNode } from "react"
import { Link, useParams } from "react-router-dom"

import { LIVE_STATES } from "../../../../../payment/attempt-states"
import { AttemptTimeline } from "../../../../components/attempt-timeline"
import { AttentionRow } from "../../../../components/attention-row"
import { kes, orderNumber, orderPath, ORIGIN_WORDS, stateColor, when } from "../../../../lib/format"
import { sdk } from "../../../../lib/sdk"
import type { Attempt, Recheck } from "../../../../lib/types"

/**
 * One M-Pesa payment, opened from a row of the M-Pesa page (`/app/mpesa/attempts/:id`): its
 * order by number, why it failed, what needs the merchant with the actions that settle it, and
 * its timeline with the callbacks as received — the same parts the order panel shows.
 */
const MpesaAttemptPage = () => {
  const { id } = useParams()
  const queryClient = useQueryClient()
  const { data, error, isLoading } = useQuery({
    queryKey: ["mpesa-attempt", id],
    queryFn: () => sdk.client.fetch<{ attempt: Attempt }>(`/admin/mpesa/attempts/${id}`),
    // Followed live while a prompt is on the customer's phone.
    refetchInterval: (q) => (q.state.data && LIVE_STATES.includes(q.state.data.attempt.state) ? 2_000 : false),
  })
  const recheck = useMutation({
    mutationFn: () => sdk.client.fetch<Recheck>(`/admin/mpesa/attempts/${id}/recheck`, { method: "POST" }),
    onSuccess: (r) => {
      toast.info("M-Pesa", { description: r.error ?? r.answer ?? r.attempt.state_in_words })
      queryClient.invalidateQueries({ predicate: (q) => String(q.queryKey[0]).startsWith("mpesa-") })
    },
    onError: (e) => toast.error("M-Pesa", { description: (e as Error).message }),
  })

  const back = (
    <Link to="/mpesa" className="text-ui-fg-subtle hover:text-ui-fg-base flex items-center gap-x-1 text-sm">
      <ArrowUturnLeft /> M-Pesa payments
    </Link>
  )
  const attempt = data?.attempt
  if (!attempt) {
    return (
      <div className="flex flex-col gap-y-3">
        {back}
        <Container>
          <Text size="small">{isLoading ? "Loading…" : (error as Error | null)?.message ?? "No such M-Pesa payment."}</Text>
        </Container>
      </div>
    )
  }
  const order = orderNumber(attempt)

  return (
    <div className="flex flex-col gap-y-3" data-testid="mpesa-attempt-page">
      {back}
      <Container className="divide-y p-0">
        <div className="flex items-center justify-between gap-x-2 px-6 py-4">
          <div>
            <Heading level="h1">
              {kes(attempt.amount_paid ?? attempt.amount_requested)} {order ? `· order ${order}` : ""}
            </Heading>
            <Text size="small" className="text-ui-fg-subtle">
              {attempt.gateway === "lipia" ? "Lipia Online" : "Lipwa"} · {ORIGIN_WORDS[attempt.origin] ?? attempt.origin} · {when(attempt.pushed_at)}
            </Text>
          </div>
          <Badge color={stateColor(attempt)} size="small" data-testid="mpesa-attempt-state">
            {attempt.state_in_words}
          </Badge>
        </div>
        <dl className="grid grid-cols-2 gap-y-2 px-6 py-4">
          <Row label="Order" testId="mpesa-attempt-order">
            {order ? (
              <Link to={orderPath(attempt)!} className="text-ui-fg-interactive hover:text-ui-fg-interactive-hover">
                {order}
              </Link>
            ) : (
              "No order"
            )}
          </Row>
          {attempt.failure_reason ? (
            <Row label="Why it failed" testId="mpesa-attempt-reason">
              {attempt.failure_reason}
            </Row>
          ) : null}
          <Row label="Receipt">{attempt.receipt ?? "—"}</Row>
          <Row label="Paid">{`${attempt.amount_paid === null ? "Nothing" : kes(attempt.amount_paid)} of ${kes(attempt.amount_requested)}`}</Row>
          <Row label="Phone">{attempt.phone_masked}</Row>
          {attempt.requested_by_email ? <Row label={attempt.origin === "recorded" ? "Recorded by" : "Sent by"}>{attempt.requested_by_email}</Row> : null}
          {attempt.attested ? <Row label="Attested">{attempt.attestation_note ?? "on the merchant's word"}</Row> : null}
          {attempt.resolved_at ? <Row label="Resolved">{[when(attempt.resolved_at), attempt.resolved_by, attempt.resolution_note].filter(Boolean).join(" · ")}</Row> : null}
          <Row label="Reference">
            <span className="text-ui-fg-subtle">{attempt.reference ?? "—"}</span>
          </Row>
        </dl>
        {attempt.attention.length ? (
          <AttentionRow attempt={attempt} />
        ) : (
          <div className="flex justify-end px-6 py-4">
            <Button size="small" variant="secondary" isLoading={recheck.isPending} onClick={() => recheck.mutate()}>
              <ArrowPath />
              Re-check with the gateway
            </Button>
          </div>
        )}
      </Container>
      <Container className="px-6 py-4">
        <Heading level="h2" className="mb-2">
          Timeline
        </Heading>
        <ol className="flex flex-col gap-y-3">
          <AttemptTimeline attempt={attempt} />
        </ol>
      </Container>
    </div>
  )
}

const Row = ({ label, testId, children }: { label: string; testId?: string; children: ReactNode }) => (
  <>
    <Text size="small" className="text-ui-fg-subtle">
      {label}
    </Text>
    <Text size="small" data-testid={testId}>
      {children}
    </Text>
  </>
)

export default MpesaAttemptPage
