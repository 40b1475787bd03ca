-- The admin list shows current subscriptions by default, newest first (docs/benchmarks.md,
-- admin-list-depth). user_subscriptions_created_idx has the order but not the status, so a deep page
-- read every skipped row from the heap to test it: page 5,000 of 1,000,000 rows cost 3× page 1. This
-- index holds only current rows in the list's order, so OFFSET skips index entries without the heap.
CREATE INDEX "user_subscriptions_current_created_idx" ON "user_subscriptions" USING btree ("created_at" DESC NULLS LAST,"id" DESC NULLS LAST) WHERE "user_subscriptions"."status" IN ('active', 'trialing', 'past_due', 'cancelled');
