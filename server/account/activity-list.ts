import { and, desc, eq, lt } from 'drizzle-orm';
import type { Db } from '../../db/create-db';
import { accountActivity } from '../../db/schema';
import { type NamedVersion, parseUserAgent } from '../auth/user-agent';
import type { ActivityKind } from './activity';

export interface ActivityItem {
  id: number;
  kind: ActivityKind;
  detail: Record<string, string>;
  ip: string | null;
  browser: NamedVersion | null;
  os: NamedVersion | null;
  createdAt: string;
}

export interface ActivityPage {
  items: ActivityItem[];
  /** Pass as `cursor` for the next (older) page; null when this page is the last. */
  nextCursor: number | null;
}

export const ACTIVITY_PAGE_SIZE = { default: 20, max: 50 } as const;

/**
 * The user's own events, newest first, a page at a time. Keyset pagination on the id: the next
 * page starts below the last id shown, so events recorded meanwhile neither shift nor repeat it.
 */
export async function listActivity(
  db: Db,
  userId: string,
  page: { cursor?: number | undefined; limit?: number | undefined } = {},
): Promise<ActivityPage> {
  const limit = page.limit ?? ACTIVITY_PAGE_SIZE.default;
  const rows = await db
    .select()
    .from(accountActivity)
    .where(
      and(
        eq(accountActivity.userId, userId),
        page.cursor === undefined ? undefined : lt(accountActivity.id, page.cursor),
      ),
    )
    .orderBy(desc(accountActivity.id))
    .limit(limit + 1);
  const items = rows.slice(0, limit).map(
    (row): ActivityItem => ({
      id: row.id,
      kind: row.kind as ActivityKind,
      detail: row.detail,
      ip: row.ip,
      ...parseUserAgent(row.userAgent),
      createdAt: row.createdAt.toISOString(),
    }),
  );
  return { items, nextCursor: rows.length > limit ? (items.at(-1)?.id ?? null) : null };
}
