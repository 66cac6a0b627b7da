/**
 * Every API request received, for tests to assert on. The Authorization header is never
 * part of an entry. Sandbox choice: only the newest 10,000 are kept, so a sandbox left
 * running with the phone page open (it polls every 2 s) does not grow without bound.
 */
import type { ReceivedRequest } from "./types"

const MAX_ENTRIES = 10_000

export class RequestLog {
  private entries: ReceivedRequest[] = []

  add(entry: ReceivedRequest): void {
    this.entries.push(entry)
    if (this.entries.length > MAX_ENTRIES) {
      this.entries.splice(0, this.entries.length - MAX_ENTRIES)
    }
  }

  list(): ReceivedRequest[] {
    return structuredClone(this.entries)
  }

  clear(): void {
    this.entries = []
  }
}
