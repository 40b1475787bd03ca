import type { ReactNode } from "react";

export interface Column<Row> {
  header: string;
  /** For an actions column: the heading is read out but not shown. */
  srOnlyHeader?: boolean;
  /** Applied to the heading and every cell, so responsive hiding (`hidden md:table-cell`) stays in step. */
  className?: string;
  cellClassName?: string;
  cell: (row: Row) => ReactNode;
}

interface DataTableProps<Row> {
  caption: string;
  emptyMessage: string;
  columns: Column<Row>[];
  rows: Row[];
  rowKey: (row: Row) => string;
}

const TH = "px-4 py-3 text-left text-xs font-semibold tracking-wide text-slate-500 uppercase";
const TD = "px-4 py-3 align-middle";

const classes = (...parts: (string | undefined)[]) => parts.filter(Boolean).join(" ");

/** The admin list tables' shell: a card that scrolls sideways on narrow screens, with a visually hidden caption. */
export function DataTable<Row>({ caption, emptyMessage, columns, rows, rowKey }: DataTableProps<Row>) {
  if (rows.length === 0) {
    return <p className="rounded-2xl bg-white p-8 text-center text-slate-600 ring-1 ring-slate-200">{emptyMessage}</p>;
  }
  return (
    <div className="overflow-x-auto rounded-2xl bg-white shadow-sm ring-1 ring-slate-200">
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
                  {column.cell(row)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
