import { CLASSES, NO_CONNECTION_ID } from "../protocol/index.js";

/**
 * Shows or hides the page's `#no-connection` element. It is looked up each time, so a banner that an
 * update re-rendered still works; a page without one is fine.
 */
export function showConnectionBanner(doc: Document, lost: boolean): void {
  const banner = doc.getElementById(NO_CONNECTION_ID);
  if (!banner) return;
  banner.classList.toggle(CLASSES.noConnectionShow, lost);
  banner.classList.toggle(CLASSES.noConnectionHide, !lost);
}
