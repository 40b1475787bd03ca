/** A page of a list and the list's total; `total` is absent when the page had no row to carry it. */
export interface PageRead<Row> {
  rows: Row[];
  total: number | undefined;
}

/**
 * The requested page, or the last page when the request is past the end (a stale link, a list that
 * shrank): `first`, the requested page as read, when it has rows, a count and a second read only
 * past the end.
 */
export async function pageOrLast<Row>(
  requested: number,
  limit: number,
  first: PageRead<Row>,
  read: (page: number) => Promise<PageRead<Row>>,
  count: () => Promise<number>,
): Promise<{ rows: Row[]; total: number; page: number }> {
  if (first.total !== undefined) return { rows: first.rows, total: first.total, page: requested };
  const total = await count();
  const last = Math.max(1, Math.ceil(total / limit));
  if (total === 0 || last === requested) return { rows: first.rows, total, page: last };
  return { rows: (await read(last)).rows, total, page: last };
}
