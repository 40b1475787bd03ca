import type { ReactNode } from "react";

export type Layout = "table" | "card";

export interface Column<Row> {
  header: string;
  /** For an actions column: the heading is read out but not shown; on a card it is the card's footer. */
  srOnlyHeader?: boolean;
  /** Applied to the heading and every cell, so responsive hiding (`hidden md:table-cell`) stays in step. */
  className?: string;
  cellClassName?: string;
  /** `layout` tells the two renderings apart (ids must differ between them). */
  cell: (row: Row, layout: Layout) => ReactNode;
}

interface DataTableProps<Row> {
  caption: string;
  emptyMessage: string;
  columns: Column<Row>[];
  rows: Row[];
  rowKey: (row: Row) => string;
}

const TH = "px-4 py-3 text-left text-xs font-semibold tracking-wide text-slate-600 uppercase";
const TD = "px-4 py-3 align-middle";

const classes = (...parts: (string | undefined)[]) => parts.filter(Boolean).join(" ");

/**
 * The admin lists: a table on wide screens, and on small ones the same rows as cards (label, value),
 * so nothing needs sideways scrolling or gets cut off at 390 px.
 */
export function DataTable<Row>({ caption, emptyMessage, columns, rows, rowKey }: DataTableProps<Row>) {
  if (rows.length === 0) {
    return <p className="rounded-2xl bg-white p-8 text-center text-slate-600 ring-1 ring-slate-200">{emptyMessage}</p>;
  }
  const fields = columns.filter((column) => !column.srOnlyHeader);
  const actions = columns.filter((column) => column.srOnlyHeader);
  return (
    <>
      <div className="hidden rounded-2xl bg-white shadow-sm ring-1 ring-slate-200 md:block">
        <table className="min-w-full divide-y divide-slate-200 text-sm">
          <caption className="sr-only">{caption}</caption>
          <thead className="bg-slate-50">
            <tr>
              {columns.map((column) => (
                <th key={column.header} scope="col" className={classes(TH, column.className)}>
                  {column.srOnlyHeader ? <span className="sr-only">{column.header}</span> : column.header}
                </th>
              ))}
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {rows.map((row) => (
              <tr key={rowKey(row)} className="hover:bg-slate-50">
                {columns.map((column) => (
                  <td key={column.header} className={classes(TD, column.className, column.cellClassName)}>
                    {column.cell(row, "table")}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <ul aria-label={caption} className="space-y-3 md:hidden">
        {rows.map((row) => (
          <li key={rowKey(row)} className="rounded-2xl bg-white p-4 shadow-sm ring-1 ring-slate-200">
            <dl className="grid grid-cols-[6.5rem_minmax(0,1fr)] gap-x-3 gap-y-2 text-sm">
              {fields.map((column) => (
                <div key={column.header} className="contents">
                  <dt className="text-xs font-semibold tracking-wide text-slate-600 uppercase">{column.header}</dt>
                  <dd className="min-w-0">{column.cell(row, "card")}</dd>
                </div>
              ))}
            </dl>
            {actions.length > 0 && (
              <div className="mt-3 flex flex-wrap justify-end gap-2 border-t border-slate-100 pt-3">
                {actions.map((column) => (
                  <div key={column.header}>{column.cell(row, "card")}</div>
                ))}
              </div>
            )}
          </li>
        ))}
      </ul>
    </>
  );
}
