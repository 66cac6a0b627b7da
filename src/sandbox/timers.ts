/**
 * Every timer the sandbox starts goes through here, so close() can clear them all and jest
 * exits without open handles.
 */
export class Timers {
  private pending = new Map<NodeJS.Timeout, () => void>()

  /** Runs `fn` after `ms`; returns a handle for cancel(). */
  after(ms: number, fn: () => void): NodeJS.Timeout {
    const handle = setTimeout(() => {
      this.pending.delete(handle)
      fn()
    }, ms)
    this.pending.set(handle, () => undefined)
    return handle
  }

  /** Resolves true after `ms`, or false if the timers are cleared first. */
  sleep(ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      const handle = setTimeout(() => {
        this.pending.delete(handle)
        resolve(true)
      }, ms)
      this.pending.set(handle, () => resolve(false))
    })
  }

  cancel(handle: NodeJS.Timeout | undefined): void {
    if (handle && this.pending.has(handle)) {
      clearTimeout(handle)
      const onCancel = this.pending.get(handle)
      this.pending.delete(handle)
      onCancel?.()
    }
  }

  clearAll(): void {
    for (const handle of [...this.pending.keys()]) {
      this.cancel(handle)
    }
  }
}
