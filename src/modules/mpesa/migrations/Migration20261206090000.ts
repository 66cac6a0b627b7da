import { Migration } from "@medusajs/framework/mikro-orm/migrations"

/**
 * Who accepted a payment claim on their word, and when: an unverified claim (a signed callback
 * the gateway cannot confirm) becomes a payment only by a merchant's action, which the books keep.
 */
export class Migration20261206090000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table if exists "mpesa_attempt" add column if not exists "attested_by" text null;`)
    this.addSql(`alter table if exists "mpesa_attempt" add column if not exists "attested_at" timestamptz null;`)
  }

  override async down(): Promise<void> {
    this.addSql(`alter table if exists "mpesa_attempt" drop column if exists "attested_by";`)
    this.addSql(`alter table if exists "mpesa_attempt" drop column if exists "attested_at";`)
  }
}
