type TextField = HTMLInputElement | HTMLTextAreaElement;

/** Input types whose value the user types. */
const TEXT_TYPES = new Set(["text", "search", "email", "url", "tel", "password", "number"]);

const isTextField = (el: Element | null): el is TextField =>
  el instanceof HTMLTextAreaElement || (el instanceof HTMLInputElement && TEXT_TYPES.has(el.type));

/** The fields a call from `el` reads, by the same rule as its form values: its form, itself, else its parent's. */
function fieldsReadBy(el: Element): Element[] {
  const form = el instanceof HTMLFormElement ? el : ((el as Partial<HTMLInputElement>).form ?? el.closest("form"));
  if (form) return Array.from(form.elements);
  if (isTextField(el)) return [el];
  return el.parentElement ? Array.from(el.parentElement.querySelectorAll("input, textarea")) : [];
}

/**
 * Remembers, per text field, its value when the last call read it, to tell whether the user has typed
 * something the server has not seen. A field no call read yet compares with its value as rendered.
 *
 * ```ts
 * const sent = new SentValues();
 * sent.note(form);                 // a call from the form just read its fields
 * sent.hasUnsentText(document);    // true once the focused field's value differs from what that call read
 * ```
 */
export class SentValues {
  private readonly values = new WeakMap<Element, string>();

  /** A call from `el` is being made with the values its fields hold now. */
  note(el: Element): void {
    for (const field of fieldsReadBy(el)) if (isTextField(field)) this.values.set(field, field.value);
  }

  /** Whether the focused element is a text field whose value changed since the last call read it. */
  hasUnsentText(doc: Document): boolean {
    const focused = doc.activeElement;
    if (!isTextField(focused)) return false;
    return focused.value !== (this.values.get(focused) ?? focused.defaultValue);
  }
}
