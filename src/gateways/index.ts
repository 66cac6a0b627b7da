/**
 * The gateway layer: one interface (`MpesaGateway`), a typed client per aggregator, and the
 * pure rules every M-Pesa payment follows (phone numbers, whole shillings, result codes).
 */
export * from "../lib/amount"
export * from "./errors"
export * from "./gateway"
export * from "../lib/phone"
export * from "./rate-limit"
export * from "../lib/result-codes"
export { type ClientOptions } from "./client-support"
export { LipiaClient, LIPIA_DEFAULT_BASE_URL } from "./lipia/client"
export {
  LipwaClient,
  LIPWA_DEFAULT_BASE_URL,
  LIPWA_REQUESTS_PER_SECOND,
  type LipwaClientOptions,
  type LipwaTransaction,
} from "./lipwa/client"
