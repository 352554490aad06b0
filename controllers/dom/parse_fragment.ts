import { trustedHtml } from "./trusted_types.js";

/**
 * Parses server HTML into an inert fragment through a `<template>`, so table rows, list items and
 * `<style>` survive where a `<div>`'s innerHTML would drop or move them, and nothing runs or loads
 * until the fragment is inserted. Under Trusted Types the HTML goes through the `liveview` policy.
 *
 * ```ts
 * tbody.replaceChildren(parseFragment("<tr><td>1</td></tr>", document));
 * ```
 */
export function parseFragment(html: string, doc: Document): DocumentFragment {
  const template = doc.createElement("template");
  template.innerHTML = trustedHtml(html);
  return template.content;
}
