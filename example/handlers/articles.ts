import { liveviewHandler, renderToString, send } from "express-liveview";
import { exampleContext } from "../context";
import type { Db } from "../db";

interface Article {
  id: number;
  title: string;
  body: string;
  published: string;
}

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c);

/** FTS marks matches with control characters; the text is escaped, then the marks become <mark>. */
const START = "\u0001";
const END = "\u0002";
const highlight = (text: string): string =>
  escapeHtml(text).replaceAll(START, "<mark>").replaceAll(END, "</mark>");

/** Each word the user typed, as a quoted prefix: safe to hand to MATCH whatever they typed. */
function matchQuery(search: string): string | null {
  const words = search.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  return words.length ? words.slice(0, 8).map((word) => `"${word}"*`).join(" ") : null;
}

export function searchArticles(db: Db, search: string): Array<{ id: number; title: string; snippet: string; published: string }> {
  const query = matchQuery(search);
  if (!query) {
    const rows = db.prepare("SELECT id, title, body, published FROM articles ORDER BY published DESC LIMIT 20").all() as Article[];
    return rows.map((a) => ({ id: a.id, title: escapeHtml(a.title), snippet: escapeHtml(a.body.slice(0, 120)) + "…", published: a.published }));
  }
  const rows = db
    .prepare(
      `SELECT a.id, a.published,
              highlight(articles_fts, 0, '${START}', '${END}') AS title,
              snippet(articles_fts, 1, '${START}', '${END}', '…', 16) AS snippet
         FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid
        WHERE articles_fts MATCH ? ORDER BY rank LIMIT 20`,
    )
    .all(query) as Array<{ id: number; title: string; snippet: string; published: string }>;
  return rows.map((row) => ({ ...row, title: highlight(row.title), snippet: highlight(row.snippet) }));
}

export const findArticle = (db: Db, id: number): Article | undefined =>
  db.prepare("SELECT id, title, body, published FROM articles WHERE id = ?").get(id) as Article | undefined;

// Live search: the input has data-liveview-debounce, so this runs once the user stops typing.
liveviewHandler("search_articles", (consumer, content) => {
  const search = String(content.form.search ?? "");
  const results = searchArticles(exampleContext().db, search);
  send(consumer, { target: "#search-results", html: renderToString("partials/article_results", { results, search }) });
});

// Opening an article: new content, a new URL and a new title. The update carries `url`, so the browser journals
// the list it replaces: Back puts the list (with the search typed) back without asking the server.
liveviewHandler("open_article", (consumer, content) => {
  const article = findArticle(exampleContext().db, Number(content.data.id));
  if (!article) return send(consumer, { target: "#error", html: "<p>That article does not exist.</p>" });
  send(consumer, {
    target: "#articles",
    html: renderToString("partials/article_detail", { article }),
    url: `/articles/${article.id}`,
    title: article.title,
  });
});
