import { createApp } from "../api/app.ts";
import { issueToken } from "../api/http/session-token.ts";
import { loadTokenKeys } from "../api/lib/tokens/signing-keys.ts";
import { generateSigningJwk } from "../api/server/signing-keys.ts";
import { startSession } from "../api/services/sessions/sessions.ts";
import { CURRENT_STATUS_LIST } from "../db/schema.ts";
import { fmtMs } from "./cron-scale.ts";
import { createBenchDatabase, withPool } from "./lib/bench-db.ts";
import type { Measurement } from "./lib/report.ts";
import { medianMs, timed } from "./lib/timing.ts";
import { seedScaleSubscriptions } from "./seed/scale-subscriptions.ts";

const USERS = 500_000;
const PER_USER = 2;
const DEEP_PAGE = 5_000;
const RUNS = 15;

export async function measureAdminAtScale(): Promise<Measurement[]> {
  const database = await createBenchDatabase("admin");
  try {
    const seeded = await withPool(database.url, ({ pool }) =>
      timed(async () => {
        const client = await pool.connect();
        try {
          await seedScaleSubscriptions(client, USERS, PER_USER);
        } finally {
          client.release();
        }
      }),
    );
    return await withPool(database.url, async ({ db, pool }) => {
      const [admin] = (
        await pool.query<{ id: string }>(
          `UPDATE users SET is_admin = true WHERE id = (SELECT id FROM users ORDER BY id LIMIT 1) RETURNING id`,
        )
      ).rows;
      const keys = await loadTokenKeys({ signingKeys: [generateSigningJwk()] });
      const deps = { database: { db }, clock: () => new Date(), keys, log: () => {} };
      const app = createApp(deps);
      const session = await startSession(db, admin!.id, new Date());
      const token = await issueToken(deps, db, admin!.id, session.sessionId);
      const get = async (path: string) => {
        const res = await app.request(path, { headers: { Authorization: `Bearer ${token}` } });
        if (res.status !== 200) throw new Error(`${path} answered ${res.status}: ${await res.text()}`);
        return res.json();
      };
      const first = () => get("/api/admin/subscriptions?page=1&limit=20");
      const deep = () => get(`/api/admin/subscriptions?page=${DEEP_PAGE}&limit=20`);
      const deepRows = ((await deep()) as { data: unknown[] }).data.length;
      if (deepRows !== 20) throw new Error(`page ${DEEP_PAGE} returned ${deepRows} rows`);
      const firstMs = await medianMs(first, RUNS);
      const deepMs = await medianMs(deep, RUNS);
      const statsMs = await medianMs(() => get("/api/admin/subscription-stats"), RUNS);
      // The page's rows alone, without the total, under the list's default filter (current rows):
      // OFFSET skips index entries one by one, a keyset seek (WHERE (created_at, id) < the previous
      // page's last row) starts right at the page.
      const current = `status IN (${CURRENT_STATUS_LIST})`;
      const order = "ORDER BY created_at DESC NULLS LAST, id DESC NULLS LAST LIMIT 20";
      const offsetMs = (page: number) =>
        medianMs(
          () => pool.query(`SELECT id FROM user_subscriptions WHERE ${current} ${order} OFFSET ${(page - 1) * 20}`),
          RUNS,
        );
      const [boundary] = (
        await pool.query<{ created_at: Date; id: string }>(
          `SELECT created_at, id FROM user_subscriptions WHERE ${current} ${order} OFFSET ${(DEEP_PAGE - 1) * 20 - 1}`,
        )
      ).rows;
      const keysetMs = await medianMs(
        () =>
          pool.query(`SELECT id FROM user_subscriptions WHERE ${current} AND (created_at, id) < ($1, $2) ${order}`, [
            boundary!.created_at,
            boundary!.id,
          ]),
        RUNS,
      );
      const [rowsFirst, rowsDeep] = [await offsetMs(1), await offsetMs(DEEP_PAGE)];
      const ratio = deepMs / firstMs;
      const total = (USERS * PER_USER).toLocaleString("en");
      const setup = `${total} subscriptions (${USERS.toLocaleString("en")} users) seeded in ${fmtMs(
        seeded.ms,
      )}; medians of ${RUNS} requests`;
      return [
        {
          id: "admin-list-depth",
          name: `Admin list at ${total} subscriptions: page ${DEEP_PAGE.toLocaleString("en")} vs page 1`,
          target: "≤ 2×",
          measured: `${ratio.toFixed(2)}× (${fmtMs(deepMs)} vs ${fmtMs(firstMs)})`,
          met: ratio <= 2,
          ifNotMet:
            "OFFSET skips index entries one by one (user_subscriptions_current_created_idx, migration 0011), so the " +
            "page's own rows cost grows with the page number; what would meet it is keyset pagination " +
            "(`?after=<created_at,id>` of the last row shown).",
          notes: [
            setup,
            `the exact total (a count over the filter) is most of both; the page's ids alone take ${fmtMs(
              rowsFirst,
            )} at page 1 and ${fmtMs(rowsDeep)} at page ${DEEP_PAGE.toLocaleString("en")} by OFFSET, ${fmtMs(
              keysetMs,
            )} there by keyset seek`,
          ],
        },
        {
          id: "admin-stats",
          name: `Admin subscription-stats at ${total} subscriptions`,
          target: "≤ 100 ms",
          measured: fmtMs(statsMs),
          met: statsMs <= 100,
          ifNotMet:
            "the counts read every current subscription's entry in user_subscriptions_current_tier_idx; what would " +
            "meet it is a counter table kept by the lifecycle service (at the price of a hot row per tier).",
          notes: [setup],
        },
      ];
    });
  } finally {
    await database.drop();
  }
}
