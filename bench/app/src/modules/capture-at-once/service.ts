import { randomUUID } from "node:crypto"

import { AbstractPaymentProvider, PaymentActions, PaymentSessionStatus } from "@medusajs/framework/utils"

/**
 * Medusa's own `pp_system_default`, except that it captures when it authorizes — as Medusa's
 * Stripe provider does with automatic capture, and as every M-Pesa payment must (the money has
 * arrived by the time the order is placed). Only for the bench's control, `--own-captures`:
 * how fast Medusa's own checkout is when it also takes the money, which `pp_system_default`
 * (authorize only) does not.
 */
export default class CaptureAtOnceProvider extends AbstractPaymentProvider {
  static identifier = "capture-at-once"

  // Public, as ModuleProvider needs (the base class's is protected).
  constructor(container: Record<string, unknown>, options: Record<string, unknown> = {}) {
    super(container, options)
  }

  async initiatePayment() {
    return { id: randomUUID(), data: {} }
  }
  async authorizePayment() {
    return { status: PaymentSessionStatus.CAPTURED, data: {} }
  }
  async capturePayment() {
    return { data: {} }
  }
  async getPaymentStatus() {
    return { status: PaymentSessionStatus.CAPTURED }
  }
  async retrievePayment() {
    return { data: {} }
  }
  async updatePayment() {
    return { data: {} }
  }
  async deletePayment() {
    return { data: {} }
  }
  async cancelPayment() {
    return { data: {} }
  }
  async refundPayment() {
    return { data: {} }
  }
  async getWebhookActionAndData() {
    return { action: PaymentActions.NOT_SUPPORTED }
  }
}
