/** An error the control API turns into `{ message }` with this HTTP status. */
export class SandboxError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message)
    this.name = "SandboxError"
  }
}
