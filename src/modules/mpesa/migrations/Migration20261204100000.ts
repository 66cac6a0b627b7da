import { Migration } from "@medusajs/framework/mikro-orm/migrations"

/**
 * The merchant's desk: where an attempt came from (checkout, a prompt sent from the admin, a
 * payment recorded by its receipt), who sent or recorded it, and whether it stands on the
 * merchant's word alone (`attested`).
 */
export class Migration20261204100000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `alter table if exists "mpesa_attempt" add column if not exists "origin" text check ("origin" in ('checkout', 'admin_request', 'recorded')) not null default 'checkout';`
    )
    this.addSql(`alter table if exists "mpesa_attempt" add column if not exists "requested_by" text null;`)
    this.addSql(`alter table if exists "mpesa_attempt" add column if not exists "attested" boolean not null default false;`)
    this.addSql(`alter table if exists "mpesa_attempt" add column if not exists "attestation_note" text null;`)
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_mpesa_attempt_order_id" ON "mpesa_attempt" ("order_id") WHERE deleted_at IS NULL;`)
  }

  override async down(): Promise<void> {
    this.addSql(`drop index if exists "IDX_mpesa_attempt_order_id";`)
    this.addSql(`alter table if exists "mpesa_attempt" drop column if exists "origin";`)
    this.addSql(`alter table if exists "mpesa_attempt" drop column if exists "requested_by";`)
    this.addSql(`alter table if exists "mpesa_attempt" drop column if exists "attested";`)
    this.addSql(`alter table if exists "mpesa_attempt" drop column if exists "attestation_note";`)
  }
}
