import { Migration } from "@medusajs/framework/mikro-orm/migrations"

/**
 * The ledger becomes the record of truth: a row exists before its push leaves (`pushing`, no
 * reference yet), states follow payment/attempt.ts (`superseded` is gone: a replaced session's
 * prompt is still payable, so such rows become `expired` and stay checkable), and the recovery
 * job schedules checks per row.
 */
export class Migration20261128090000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table if exists "mpesa_attempt" alter column "session_id" drop not null;`)
    this.addSql(`alter table if exists "mpesa_attempt" alter column "reference" drop not null;`)
    this.addSql(`alter table if exists "mpesa_attempt" alter column "callback_reference" drop not null;`)
    this.addSql(`alter table if exists "mpesa_attempt" alter column "amount_requested" drop not null;`)
    this.addSql(`alter table if exists "mpesa_attempt" drop constraint if exists "mpesa_attempt_state_check";`)
    this.addSql(`update "mpesa_attempt" set "state" = 'expired' where "state" = 'superseded';`)
    this.addSql(
      `alter table if exists "mpesa_attempt" add constraint "mpesa_attempt_state_check" check ("state" in ('pushing', 'pending', 'paid', 'amount_mismatch', 'failed', 'expired', 'not_sent'));`
    )
    this.addSql(`update "mpesa_attempt" set "state" = 'amount_mismatch' where "state" = 'paid' and "amount_mismatch" = true;`)
    this.addSql(`alter table if exists "mpesa_attempt" add column if not exists "outcome" text null;`)
    this.addSql(`alter table if exists "mpesa_attempt" add column if not exists "refund_refused" boolean not null default false;`)
    this.addSql(`alter table if exists "mpesa_attempt" add column if not exists "checks_abandoned" boolean not null default false;`)
    this.addSql(`alter table if exists "mpesa_attempt" add column if not exists "check_failures" integer not null default 0;`)
    this.addSql(`alter table if exists "mpesa_attempt" add column if not exists "next_check_at" timestamptz null;`)
    this.addSql(`alter table if exists "mpesa_attempt" add column if not exists "checked_at" timestamptz null;`)
    this.addSql(`alter table if exists "mpesa_attempt" alter column "state" set default 'pushing';`)
    this.addSql(`update "mpesa_attempt" set "next_check_at" = now() where "state" in ('pending', 'expired');`)
    // (state, next_check_at) serves every query the single-column index did.
    this.addSql(`drop index if exists "IDX_mpesa_attempt_state";`)
    this.addSql(`drop index if exists "IDX_mpesa_attempt_gateway_reference_unique";`)
    this.addSql(
      `CREATE UNIQUE INDEX IF NOT EXISTS "IDX_mpesa_attempt_gateway_reference_unique" ON "mpesa_attempt" ("gateway", "reference") WHERE reference IS NOT NULL AND deleted_at IS NULL;`
    )
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_mpesa_attempt_payment_collection_id" ON "mpesa_attempt" ("payment_collection_id") WHERE deleted_at IS NULL;`)
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_mpesa_attempt_cart_id" ON "mpesa_attempt" ("cart_id") WHERE deleted_at IS NULL;`)
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_mpesa_attempt_phone_hash_pushed_at" ON "mpesa_attempt" ("phone_hash", "pushed_at") WHERE deleted_at IS NULL;`)
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_mpesa_attempt_state_next_check_at" ON "mpesa_attempt" ("state", "next_check_at") WHERE deleted_at IS NULL;`)
  }

  override async down(): Promise<void> {
    this.addSql(`drop index if exists "IDX_mpesa_attempt_state_next_check_at";`)
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_mpesa_attempt_state" ON "mpesa_attempt" ("state") WHERE deleted_at IS NULL;`)
    this.addSql(`drop index if exists "IDX_mpesa_attempt_phone_hash_pushed_at";`)
    this.addSql(`drop index if exists "IDX_mpesa_attempt_cart_id";`)
    this.addSql(`drop index if exists "IDX_mpesa_attempt_payment_collection_id";`)
    this.addSql(`delete from "mpesa_attempt" where "reference" is null;`)
    this.addSql(`alter table if exists "mpesa_attempt" alter column "state" set default 'pending';`)
    for (const column of ["session_id", "reference", "callback_reference", "amount_requested"]) {
      this.addSql(`alter table if exists "mpesa_attempt" alter column "${column}" set not null;`)
    }
    this.addSql(`alter table if exists "mpesa_attempt" drop constraint if exists "mpesa_attempt_state_check";`)
    this.addSql(`update "mpesa_attempt" set "state" = 'paid' where "state" = 'amount_mismatch';`)
    this.addSql(`update "mpesa_attempt" set "state" = 'failed' where "state" = 'not_sent';`)
    this.addSql(
      `alter table if exists "mpesa_attempt" add constraint "mpesa_attempt_state_check" check ("state" in ('pending', 'paid', 'failed', 'expired', 'superseded'));`
    )
    for (const column of ["outcome", "refund_refused", "checks_abandoned", "check_failures", "next_check_at", "checked_at"]) {
      this.addSql(`alter table if exists "mpesa_attempt" drop column if exists "${column}";`)
    }
  }
}
