import { Badge, Container, Heading, Select, Table, Text } from "@medusajs/ui"
import { useQuery } from "@tanstack/react-query"
import { Fragment, useState } from "react"
import { Link } from "react-router-dom"

import { CallbackBody } from "../../components/callback-body"
import { Pager } from "../../components/pager"
import { kes, orderNumber, when } from "../../lib/format"
import { sdk } from "../../lib/sdk"
import type { CallbackList, LoggedCallback } from "../../lib/types"

const PAGE_SIZE = 20
const SHOWN = { all: "All callbacks", unmatched: "Matched no payment", matched: "Matched a payment" } as const
type Shown = keyof typeof SHOWN

/**
 * Every callback the aggregators (or anyone) POSTed to the store, as received — with a filter
 * for those that matched no payment: forged, misdirected, or for a payment this store never
 * started. Evidence only: the status API decides a payment (Re-check on an attempt asks it).
 */
export const CallbacksCard = () => {
  const [shown, setShown] = useState<Shown>("all")
  const [page, setPage] = useState(0)
  const [open, setOpen] = useState<string>()
  const { data } = useQuery({
    queryKey: ["mpesa-callbacks", shown, page],
    queryFn: () =>
      sdk.client.fetch<CallbackList>("/admin/mpesa/callbacks", {
        query: { limit: PAGE_SIZE, offset: page * PAGE_SIZE, ...(shown === "all" ? {} : { matched: shown === "matched" ? "true" : "false" }) },
      }),
  })
  const count = data?.count ?? 0

  return (
    <Container className="divide-y p-0" data-testid="mpesa-callbacks">
      <div className="flex items-center justify-between px-6 py-4">
        <div>
          <Heading level="h2">Callbacks</Heading>
          <Text size="small" className="text-ui-fg-subtle">
            What reached /hooks/mpesa, as received. Phone numbers are masked; signatures and credentials are never kept.
          </Text>
        </div>
        <Select
          size="small"
          value={shown}
          onValueChange={(v) => {
            setShown(v as Shown)
            setPage(0)
          }}
        >
          <Select.Trigger aria-label="Which callbacks">
            <Select.Value />
          </Select.Trigger>
          <Select.Content>
            {Object.entries(SHOWN).map(([value, words]) => (
              <Select.Item key={value} value={value}>
                {words}
              </Select.Item>
            ))}
          </Select.Content>
        </Select>
      </div>
      {count ? (
        <Table>
          <Table.Header>
            <Table.Row>
              <Table.HeaderCell>Received</Table.HeaderCell>
              <Table.HeaderCell>Gateway</Table.HeaderCell>
              <Table.HeaderCell>Payment</Table.HeaderCell>
              <Table.HeaderCell>Signature</Table.HeaderCell>
              <Table.HeaderCell>Answer</Table.HeaderCell>
            </Table.Row>
          </Table.Header>
          <Table.Body>
            {(data?.callbacks ?? []).map((callback) => (
              <Fragment key={callback.id}>
                <Table.Row className="cursor-pointer" onClick={() => setOpen(open === callback.id ? undefined : callback.id)} data-testid="mpesa-callback-row">
                  <Table.Cell>{when(callback.received_at)}</Table.Cell>
                  <Table.Cell>{callback.gateway}</Table.Cell>
                  <Table.Cell data-testid="mpesa-callback-payment">
                    {callback.attempt_id ? (
                      <Link
                        to={`/mpesa/attempts/${callback.attempt_id}`}
                        className="text-ui-fg-interactive hover:text-ui-fg-interactive-hover"
                        onClick={(e) => e.stopPropagation()}
                        title={callback.attempt_id}
                      >
                        {paymentWords(callback.payment)}
                      </Link>
                    ) : (
                      <span className="text-ui-fg-subtle">none ({callback.named_id ?? "no id"})</span>
                    )}
                  </Table.Cell>
                  <Table.Cell>
                    <Badge size="2xsmall" color={callback.signature_valid ? "green" : "red"}>
                      {callback.signature_valid ? "valid" : "invalid"}
                    </Badge>
                  </Table.Cell>
                  <Table.Cell>
                    {callback.answer_status}
                    {callback.answer_code ? ` ${callback.answer_code}` : ""}
                  </Table.Cell>
                </Table.Row>
                {open === callback.id ? (
                  <Table.Row>
                    <td colSpan={5} className="px-6">
                      <CallbackBody callback={callback} />
                    </td>
                  </Table.Row>
                ) : null}
              </Fragment>
            ))}
          </Table.Body>
        </Table>
      ) : (
        <Text size="small" className="px-6 py-4 text-ui-fg-subtle">
          {shown === "unmatched" ? "No callback matched nothing: none forged or misdirected." : "No callbacks yet."}
        </Text>
      )}
      {count > PAGE_SIZE ? (
        <Pager count={count} pageSize={PAGE_SIZE} page={page} setPage={setPage} />
      ) : null}
    </Container>
  )
}

/** A matched callback's payment as the merchant knows it: "#1001 · THK75EOH2Z · KES 1,500", "Failed · KES 1,500". */
function paymentWords(payment: LoggedCallback["payment"]): string {
  if (!payment) {
    return "a payment"
  }
  const order = orderNumber({ order_id: payment.order_id, order_display_id: payment.order_display_id, order_is_draft: payment.order_is_draft })
  // Without an order (a failed prompt), its state says what became of it.
  return [order ?? payment.state_in_words, payment.receipt, kes(payment.amount)].filter(Boolean).join(" · ")
}
