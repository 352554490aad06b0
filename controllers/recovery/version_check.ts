import { DOM_EVENTS, VERSION_RELOAD_CHECK_MS, type VersionChangedDetail } from "../../protocol/index.js";

export interface VersionCheckOptions {
  /** Whether the page may reload now without losing what the user did (see `LiveViewClient.isIdle`). */
  isIdle(): boolean;
  reload(): void;
}

/**
 * Compares the version in each `liveview:ready` with the one of the page's first. On a difference it
 * dispatches `liveview:version-changed` on the document (`detail { from, to }`, cancelable) and, unless a
 * listener called `preventDefault()`, reloads the page as soon as the user is idle, looking again on each
 * blur, on each call's answer (`check()`) and every few seconds. A server that sends no version never
 * causes a reload.
 *
 * ```ts
 * const versions = new VersionCheck(document, { isIdle: () => true, reload: () => location.reload() });
 * versions.seen("a1"); // the first ready: remembered
 * versions.seen("b2"); // another version: the event, then a reload
 * ```
 */
export class VersionCheck {
  private first: string | undefined;
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(private readonly doc: Document, private readonly options: VersionCheckOptions) {}

  /** Called with the version of every ready the page receives. */
  seen(version: string | undefined): void {
    if (typeof version !== "string") return;
    if (this.first === undefined) {
      this.first = version;
      return;
    }
    if (version === this.first) return;
    const detail: VersionChangedDetail = { from: this.first, to: version };
    const event = new CustomEvent(DOM_EVENTS.versionChanged, { detail, cancelable: true });
    if (this.doc.dispatchEvent(event)) this.reloadWhenIdle();
  }

  /** Reloads now if a reload is due and the user is idle. */
  check = (): void => {
    if (this.timer === undefined || !this.options.isIdle()) return;
    this.stop();
    this.options.reload();
  };

  private reloadWhenIdle(): void {
    if (this.timer !== undefined) return;
    this.timer = setInterval(this.check, VERSION_RELOAD_CHECK_MS);
    this.doc.addEventListener("focusout", this.onBlur);
    this.check();
  }

  // On focusout the next field has not got the focus yet: look once it has.
  private readonly onBlur = (): void => void setTimeout(this.check, 0);

  private stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.doc.removeEventListener("focusout", this.onBlur);
  }
}
