import { UPLOAD_PROGRESS_EVENT, type UploadProgressDetail } from "../../protocol/index.js";

const PROGRESS_ATTRIBUTE = "data-liveview-progress";
const PROGRESS_FOR_ATTRIBUTE = "data-liveview-progress-for";

/**
 * Shows how far an input's files have gone up: `data-liveview-progress="0..100"` on the input, a
 * `liveview:upload-progress` event on it (`{ name, loaded, total }`), and the value of every
 * `<progress data-liveview-progress-for="NAME">`.
 */
export function reportProgress(input: HTMLInputElement, loaded: number, total: number): void {
  const percent = total > 0 ? Math.floor((loaded / total) * 100) : 100;
  input.setAttribute(PROGRESS_ATTRIBUTE, String(percent));
  const detail: UploadProgressDetail = { name: input.name, loaded, total };
  input.dispatchEvent(new CustomEvent(UPLOAD_PROGRESS_EVENT, { bubbles: true, detail }));
  const doc = input.ownerDocument;
  for (const bar of Array.from(doc.querySelectorAll(`[${PROGRESS_FOR_ATTRIBUTE}]`))) {
    if (bar.getAttribute(PROGRESS_FOR_ATTRIBUTE) !== input.name) continue;
    if (bar instanceof HTMLProgressElement) {
      bar.max = 100;
      bar.value = percent;
    } else bar.setAttribute("value", String(percent));
  }
}
