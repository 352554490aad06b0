import { ATTRIBUTES } from "../../protocol/index.js";

/** A form to recover and the handler that rebuilds the server's state from its values. */
export interface RecoverableForm {
  form: HTMLFormElement;
  handler: string;
}

/**
 * The forms with `data-liveview-recover="handler"` in document order. When the page reconnects to a server that
 * lost its session (a restart, a deploy, another node), the page calls each form's handler with the form's values
 * before any call made while it was away, so the server can rebuild what it knew (Phoenix's `phx-auto-recover`).
 *
 * ```ts
 * // <form data-liveview-recover="draft_restore"><input name="body"></form>
 * recoverableForms(document); // [{ form, handler: "draft_restore" }]
 * ```
 */
export function recoverableForms(root: ParentNode): RecoverableForm[] {
  const forms: RecoverableForm[] = [];
  for (const form of root.querySelectorAll(`form[${ATTRIBUTES.recover}]`)) {
    const handler = form.getAttribute(ATTRIBUTES.recover)?.trim();
    if (form instanceof HTMLFormElement && handler) forms.push({ form, handler });
  }
  return forms;
}
