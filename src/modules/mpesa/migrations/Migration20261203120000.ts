import { Migration } from "@medusajs/framework/mikro-orm/migrations"

/**
 * Two flags for the merchant: `paid_twice` (a payment for a cart that something else had
 * already paid) and `unverified` (a signed callback reported money that no status API could
 * confirm).
 */
export class Migration20261203120000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table if exists "mpesa_attempt" add column if not exists "paid_twice" boolean not null default false;`)
    this.addSql(`alter table if exists "mpesa_attempt" add column if not exists "unverified" boolean not null default false;`)
  }

  override async down(): Promise<void> {
    this.addSql(`alter table if exists "mpesa_attempt" drop column if exists "paid_twice";`)
    this.addSql(`alter table if exists "mpesa_attempt" drop column if exists "unverified";`)
  }
}
