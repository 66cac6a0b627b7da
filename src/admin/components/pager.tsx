import { Table } from "@medusajs/ui"

/** Medusa's table pagination for a list served as `{ count, limit, offset }`, one page at a time. */
export const Pager = ({ count, pageSize, page, setPage }: { count: number; pageSize: number; page: number; setPage: (update: (page: number) => number) => void }) => {
  const pages = Math.max(1, Math.ceil(count / pageSize))
  return (
    <Table.Pagination
      count={count}
      pageSize={pageSize}
      pageIndex={page}
      pageCount={pages}
      canPreviousPage={page > 0}
      canNextPage={page + 1 < pages}
      previousPage={() => setPage((p) => Math.max(0, p - 1))}
      nextPage={() => setPage((p) => p + 1)}
    />
  )
}
