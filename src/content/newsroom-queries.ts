/** Reads for the newsroom: every status, filtered, searched, sorted and paged; never seen by readers. */
import { type SQL, sql } from "drizzle-orm";
import { type Queryable, queryRows } from "../db/index.js";
import { NotFound } from "../shared/errors.js";
import type { Page } from "../shared/types.js";
import { toDate } from "./queries.js";
import { type ArticleKind, type ArticleStatus, type AuthorRef, articlePath, type SectionRef } from "./types.js";

export const NEWSROOM_SORTS = ["updated", "-updated", "published", "-published", "title", "-title"] as const;
export type NewsroomSort = (typeof NEWSROOM_SORTS)[number];

export type NewsroomListInput = {
  q?: string | undefined;
  status?: ArticleStatus | undefined;
  sectionId?: string | undefined;
  authorId?: string | undefined;
  kind?: ArticleKind | undefined;
  sort?: NewsroomSort | undefined;
  page: number;
  perPage: number;
  /** Only these articles: the staff member's own, and published ones (for roles that see no one else's drafts). */
  visibleTo?: string | undefined;
};

export type NewsroomArticle = {
  id: string;
  slug: string;
  title: string;
  dek: string;
  kind: ArticleKind;
  status: ArticleStatus;
  section: SectionRef;
  authors: AuthorRef[];
  version: number;
  publishedAt: Date | null;
  updatedAt: Date;
  createdAt: Date;
};

const ORDER: Record<NewsroomSort, SQL> = {
  updated: sql`a.updated_at ASC`,
  "-updated": sql`a.updated_at DESC`,
  published: sql`a.published_at ASC NULLS LAST`,
  "-published": sql`a.published_at DESC NULLS LAST`,
  title: sql`lower(a.title) ASC`,
  "-title": sql`lower(a.title) DESC`,
};

const COLUMNS = sql`a.id, a.slug, a.title, a.dek, a.kind, a.status, a.version, a.published_at, a.updated_at, a.created_at,
  s.id AS section_id, s.slug AS section_slug, s.name AS section_name,
  (SELECT coalesce(json_agg(json_build_object('id', st.id, 'name', st.name, 'slug', st.slug) ORDER BY aa.position), '[]'::json)
     FROM article_authors aa JOIN staff st ON st.id = aa.staff_id WHERE aa.article_id = a.id) AS authors`;

type Row = Record<string, unknown>;

function toNewsroomArticle(r: Row): NewsroomArticle {
  return {
    id: String(r.id),
    slug: String(r.slug),
    title: String(r.title),
    dek: String(r.dek),
    kind: r.kind as ArticleKind,
    status: r.status as ArticleStatus,
    section: { id: String(r.section_id), slug: String(r.section_slug), name: String(r.section_name) },
    authors: (typeof r.authors === "string" ? JSON.parse(r.authors) : r.authors) as AuthorRef[],
    version: Number(r.version),
    publishedAt: r.published_at ? toDate(r.published_at) : null,
    updatedAt: toDate(r.updated_at),
    createdAt: toDate(r.created_at),
  };
}

export async function listNewsroomArticles(db: Queryable, input: NewsroomListInput): Promise<Page<NewsroomArticle>> {
  const conditions: SQL[] = [sql`true`];
  // Matches headline and dek as typed (ILIKE): the newsroom searches drafts too, which have no search vector.
  if (input.q?.trim()) {
    const pattern = `%${input.q.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    conditions.push(sql`(a.title ILIKE ${pattern} OR a.dek ILIKE ${pattern})`);
  }
  if (input.status) conditions.push(sql`a.status = ${input.status}`);
  if (input.sectionId) conditions.push(sql`a.section_id = ${input.sectionId}`);
  if (input.kind) conditions.push(sql`a.kind = ${input.kind}`);
  if (input.authorId) conditions.push(sql`${isByAuthor(input.authorId)}`);
  if (input.visibleTo) conditions.push(sql`(a.status = 'published' OR ${isByAuthor(input.visibleTo)})`);
  const where = sql.join(conditions, sql` AND `);
  const found = await queryRows<Row>(
    db,
    sql`SELECT ${COLUMNS}, count(*) OVER () AS total
          FROM articles a JOIN sections s ON s.id = a.section_id
         WHERE ${where}
         ORDER BY ${ORDER[input.sort ?? "-updated"]}, a.id
         LIMIT ${input.perPage} OFFSET ${(input.page - 1) * input.perPage}`,
  );
  let total = Number(found[0]?.total ?? 0);
  if (found.length === 0 && input.page > 1) {
    const [c] = await queryRows<Row>(db, sql`SELECT count(*) AS total FROM articles a WHERE ${where}`);
    total = Number(c?.total ?? 0);
  }
  return {
    items: found.map(toNewsroomArticle),
    page: input.page,
    pages: Math.max(1, Math.ceil(total / input.perPage)),
    total,
  };
}

function isByAuthor(staffId: string): SQL {
  return sql`EXISTS (SELECT 1 FROM article_authors w WHERE w.article_id = a.id AND w.staff_id = ${staffId})`;
}

export async function getNewsroomArticle(db: Queryable, id: string): Promise<NewsroomArticle> {
  const [r] = await queryRows<Row>(
    db,
    sql`SELECT ${COLUMNS} FROM articles a JOIN sections s ON s.id = a.section_id WHERE a.id = ${id}`,
  );
  if (!r) throw new NotFound("ARTICLE_NOT_FOUND", `No article with id ${id}`);
  return toNewsroomArticle(r);
}

/** Headlines and addresses of articles by id, for reports that count things per article. */
export async function articleHeadlines(
  db: Queryable,
  ids: readonly string[],
): Promise<Map<string, { title: string; path: string }>> {
  if (ids.length === 0) return new Map();
  const rows = await queryRows<{ id: string; title: string; slug: string; section_slug: string }>(
    db,
    sql`SELECT a.id, a.title, a.slug, s.slug AS section_slug FROM articles a JOIN sections s ON s.id = a.section_id
         WHERE a.id IN (${sql.join(
           ids.map((id) => sql`${id}::uuid`),
           sql`, `,
         )})`,
  );
  return new Map(rows.map((r) => [r.id, { title: r.title, path: articlePath(r.section_slug, r.slug) }]));
}
