import { readFileSync } from "node:fs"
import path from "node:path"

import {
  ATTEMPT_EVENTS,
  ATTEMPT_STATES,
  isCheckable,
  isLateSuccess,
  isOver,
  isPaidInFull,
  isSettled,
  LIVE_STATES,
  needsWriteBack,
  receivedMoney,
  sessionStatus,
  shopperStatus,
  transition,
  TRANSITIONS,
  type AttemptState,
} from "../attempt"

// docs/payment-lifecycle.md is the lifecycle's table for people: it must say what the code does.
const doc = readFileSync(path.resolve(__dirname, "../../../docs/payment-lifecycle.md"), "utf8")

/** The table (header, delimiter and rows) that starts with the line beginning `header`. */
function tableStartingWith(header: string): string[] {
  const lines = doc.split("\n")
  const start = lines.findIndex((line) => line.startsWith(header))
  if (start < 0) {
    throw new Error(`docs/payment-lifecycle.md has no table starting with "${header}"`)
  }
  const end = lines.findIndex((line, i) => i > start && !line.startsWith("|"))
  return lines.slice(start, end < 0 ? undefined : end)
}

const cells = (row: string) => row.replace(/^\||\|$/g, "").split("|").map((cell) => cell.trim())
const ticked = (cell: string) => [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1])

/** The transitions table as the code would write it, rows in TRANSITIONS' order; a late success is starred. */
function transitionsTable(): string[] {
  const header = ["from \\ event", ...ATTEMPT_EVENTS.map((event) => `\`${event}\``)]
  const rows = (Object.keys(TRANSITIONS) as AttemptState[]).map((state) => [
    `\`${state}\``,
    ...ATTEMPT_EVENTS.map((event) => {
      const next = transition(state, event)
      return next ? `\`${next}\`${isLateSuccess(state, next) ? " ★" : ""}` : "–"
    }),
  ])
  const line = (row: string[]) => `| ${row.join(" | ")} |`
  return [line(header), `|${header.map(() => "---").join("|")}|`, ...rows.map(line)]
}

describe("docs/payment-lifecycle.md says what the code does", () => {
  it("its transitions table is TRANSITIONS, every (state, event) pair, late successes starred", () => {
    // On a failure, the expected side is the table to paste into the page.
    expect(tableStartingWith("| from \\ event").join("\n")).toBe(transitionsTable().join("\n"))
  })

  it("its tables have as many cells in each row as in the header (else Markdown shows no table)", () => {
    for (const header of ["| from \\ event", "| state | meaning", "| predicate |", "| step | reads"]) {
      const [head, ...rest] = tableStartingWith(header)
      for (const row of rest) {
        expect([row, cells(row).length]).toEqual([row, cells(head).length])
      }
    }
  })

  const states = tableStartingWith("| state | meaning").slice(2).map(cells)

  it("its states table lists every state, in the code's order", () => {
    expect(states.map(([state]) => ticked(state)[0])).toEqual([...ATTEMPT_STATES])
  })

  it.each(ATTEMPT_STATES.map((state) => [state]))("%s: the Medusa session status, the shopper's status and whether it is live are the code's", (state) => {
    const [, , session, shopper, live] = states.find(([cell]) => ticked(cell)[0] === state)!
    expect({ session: ticked(session), shopper: ticked(shopper), live: live.startsWith("yes") }).toEqual({
      session: [sessionStatus(state)],
      shopper: [shopperStatus(state)],
      live: LIVE_STATES.includes(state),
    })
  })

  const predicates = new Map(tableStartingWith("| predicate |").slice(2).map((row) => [ticked(cells(row)[0])[0], cells(row)[1]]))
  const TRUE_FOR: Record<string, (state: AttemptState) => boolean> = {
    receivedMoney,
    isSettled,
    isOver,
    isPaidInFull,
    needsWriteBack,
    isLive: (state) => LIVE_STATES.includes(state),
    isCheckable,
    isLateSuccess: (from) => isLateSuccess(from, "paid"),
  }

  it.each(Object.keys(TRUE_FOR).map((name) => [name]))("its predicates table says which states %s is true for", (name) => {
    const said = ticked(predicates.get(name) ?? "").filter((word) => (ATTEMPT_STATES as readonly string[]).includes(word))
    expect([...said].sort()).toEqual(ATTEMPT_STATES.filter(TRUE_FOR[name]).sort())
  })
})
