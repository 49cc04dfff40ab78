/** A table's column headings in the drill pages' style. */
export function TableHead({ columns }: { columns: string[] }) {
  return (
    <thead className="text-xs uppercase text-slate-500 dark:text-slate-400">
      <tr>
        {columns.map((column) => (
          <th key={column} className="py-1 pr-3">
            {column}
          </th>
        ))}
      </tr>
    </thead>
  );
}
