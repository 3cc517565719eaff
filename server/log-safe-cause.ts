/**
 * A failure, as a log line may show it: the innermost error's name, code and message. For a failed
 * query that is the database's own message (`relation "x" does not exist`), not Drizzle's wrapper,
 * which repeats the SQL and its parameters (emails, password hashes) and so must not be logged.
 */
export function describeCause(error: unknown): string {
  if (!(error instanceof Error)) return 'unknown error';
  let cause: Error = error;
  while (cause.cause instanceof Error) cause = cause.cause;
  const code = (cause as { code?: unknown }).code;
  return `${cause.name}${typeof code === 'string' ? ` ${code}` : ''}: ${cause.message}`.slice(
    0,
    300,
  );
}
