import { Alert } from "@medusajs/ui"
import { useCallback, useState } from "react"

/**
 * A refusal that stays on screen until the merchant dismisses it or changes what they typed
 * (a toast vanishes in 4 s, before a shop owner has read "Draft order #3 owes KES 1,740").
 */
export function useRefusal() {
  const [refusal, setRefusal] = useState<{ message: string; n: number }>()
  const show = useCallback((error: unknown) => setRefusal((r) => ({ message: (error as Error)?.message || String(error), n: (r?.n ?? 0) + 1 })), [])
  const clear = useCallback(() => setRefusal(undefined), [])
  return { refusal, show, clear }
}

export const RefusalAlert = ({ refusal, title, testId }: { refusal?: { message: string; n: number }; title: string; testId: string }) =>
  refusal ? (
    // A new key per refusal: one dismissed does not hide the next.
    <Alert key={refusal.n} variant="error" dismissible data-testid={testId}>
      <span className="font-medium">{title}</span> {refusal.message}
    </Alert>
  ) : null
