import { liveviewHandler, renderToString, send } from "express-liveview";
import { exampleContext } from "../context";
import type { Db } from "../db";

export const ITEMS_PER_PAGE = 10;

/** One page of items, and whether it is the last. */
export function itemsPage(db: Db, page: number): { items: Array<{ id: number; name: string }>; isLastPage: boolean } {
  const start = (page - 1) * ITEMS_PER_PAGE;
  const items = db.prepare("SELECT id, name FROM items ORDER BY id LIMIT ? OFFSET ?").all(ITEMS_PER_PAGE, start) as Array<{ id: number; name: string }>;
  const { count } = db.prepare("SELECT COUNT(*) AS count FROM items").get() as { count: number };
  return { items, isLastPage: start + ITEMS_PER_PAGE >= count };
}

/** Infinite scroll, as in Django LiveView's load_more example: append a page, then move the trigger on. */
liveviewHandler("load_more", (consumer, content) => {
  // The page comes from the trigger's data-data-page, but any client may send anything: a page that is not a
  // whole number from 1 up is the first (a huge one made SQLite refuse the OFFSET, a fraction gave half a page).
  const requested = Number(content.data.page);
  const page = Number.isSafeInteger(requested) && requested >= 1 ? requested : 1;
  const { items, isLastPage } = itemsPage(exampleContext().db, page);
  send(consumer, { target: "#items-list", html: renderToString("partials/items_partial", { items }), append: true });
  send(consumer, {
    target: "#load-more-trigger",
    html: isLastPage ? "" : renderToString("partials/load_trigger", { next_page: page + 1 }),
  });
});
