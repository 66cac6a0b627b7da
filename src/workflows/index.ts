export * from "./confirm-mpesa-payment"
