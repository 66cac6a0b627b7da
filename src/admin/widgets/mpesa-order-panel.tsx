import { defineWidgetConfig } from "@medusajs/admin-sdk"
import { ArrowPath } from "@medusajs/icons"
import type { AdminOrder, DetailWidgetProps } from "@medusajs/framework/types"
import { Badge, Button, Container, Heading, Text, toast } from "@medusajs/ui"
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query"

import { EVENT_WORDS, FLAG_WORDS, kes, stateColor, when } from "../lib/format"
import { sdk } from "../lib/sdk"
import type { Attempt, Recheck } from "../lib/types"

/**
 * The order's M-Pesa payment: gateway, receipt, amount paid against amount asked, masked
 * phone, state in words, every attempt of the cart as a timeline, and a re-check with the
 * gateway. Renders nothing for an order not paid by M-Pesa.
 */
const MpesaOrderPanel = ({ data: order }: DetailWidgetProps<AdminOrder>) => {
  const queryClient = useQueryClient()
  const key = ["mpesa-order", order.id]
  const { data, isLoading } = useQuery({
    queryKey: key,
    queryFn: () => sdk.client.fetch<{ attempts: Attempt[] }>(`/admin/mpesa/orders/${order.id}`),
  })
  const recheck = useMutation({
    mutationFn: (id: string) => sdk.client.fetch<Recheck>(`/admin/mpesa/attempts/${id}/recheck`, { method: "POST" }),
    onSuccess: (result) => {
      toast.info("M-Pesa", { description: result.error ?? result.answer ?? result.attempt.state_in_words })
      queryClient.invalidateQueries({ queryKey: key })
    },
    onError: (error) => toast.error("M-Pesa", { description: (error as Error).message }),
  })

  const attempts = data?.attempts ?? []
  if (isLoading || !attempts.length) {
    return null
  }
  const main = attempts.find((a) => a.state === "paid") ?? attempts[0]

  return (
    <Container className="divide-y p-0" data-testid="mpesa-order-panel">
      <div className="flex items-center justify-between px-6 py-4">
        <Heading level="h2">M-Pesa</Heading>
        <Badge color={stateColor(main)} size="2xsmall">
          {main.state_in_words}
        </Badge>
      </div>
      <dl className="grid grid-cols-2 gap-y-2 px-6 py-4">
        <Row label="Gateway" value={main.gateway === "lipia" ? "Lipia Online" : "Lipwa"} />
        <Row label="Receipt" value={main.receipt ?? "—"} testId="mpesa-receipt" />
        <Row label="Paid" value={`${kes(main.amount_paid)} of ${kes(main.amount_requested)}`} testId="mpesa-amount" />
        <Row label="Phone" value={main.phone_masked} />
      </dl>
      {main.attention.map((a) => (
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
      <div className="px-6 py-4">
        <Text size="small" weight="plus" className="mb-2">
          Attempts
        </Text>
        <ol className="flex flex-col gap-y-3">
          {attempts.map((attempt) => (
            <li key={attempt.id}>
              <Text size="xsmall" className="text-ui-fg-subtle">
                {attempt.reference ?? attempt.id} · {attempt.state_in_words}
              </Text>
              <ul className="border-ui-border-base ml-1 mt-1 border-l pl-3">
                {(attempt.timeline ?? []).map((entry, i) => (
                  <li key={i}>
                    <Text size="xsmall">
                      {when(entry.at)} — {EVENT_WORDS[entry.event] ?? entry.event}
                      {entry.detail ? ` (${entry.detail})` : ""}
                    </Text>
                  </li>
                ))}
              </ul>
            </li>
          ))}
        </ol>
      </div>
      <div className="flex justify-end px-6 py-4">
        <Button size="small" variant="secondary" isLoading={recheck.isPending} onClick={() => recheck.mutate(main.id)}>
          <ArrowPath />
          Re-check with the gateway
        </Button>
      </div>
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

export const config = defineWidgetConfig({ zone: "order.details.side" })

export default MpesaOrderPanel
