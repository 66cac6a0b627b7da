/// <reference types="vite/client" />

interface ImportMetaEnv {
  readonly VITE_MEDUSA_BACKEND_URL: string
  readonly VITE_MEDUSA_PUBLISHABLE_KEY: string
  /** The sandbox's phone page, shown only by the demo. */
  readonly VITE_MPESA_PHONE_URL?: string
}
