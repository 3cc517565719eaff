/** The rows of `db.execute()`: an array on postgres-js, `{ rows }` on PGlite. */
export function rowsOf(result: unknown): Record<string, unknown>[] {
  return Array.isArray(result) ? result : (result as { rows: Record<string, unknown>[] }).rows;
}
