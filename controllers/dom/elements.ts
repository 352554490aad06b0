/**
 * Element checks by tag name rather than `instanceof`, so the same DOM code works on any document: the
 * page's, and a test page's (jsdom, in Node, where the browser's classes are not globals).
 */
interface Tags {
  input: HTMLInputElement;
  select: HTMLSelectElement;
  textarea: HTMLTextAreaElement;
  form: HTMLFormElement;
  script: HTMLScriptElement;
  details: HTMLDetailsElement;
  button: HTMLButtonElement;
}

const ELEMENT_NODE = 1;
const HTML_NS = "http://www.w3.org/1999/xhtml";

export const isElement = (node: unknown): node is Element =>
  typeof node === "object" && node !== null && (node as Node).nodeType === ELEMENT_NODE;

/** Whether the node is the HTML element `<tag>` (not an SVG element of the same name). */
export const isTag = <T extends keyof Tags>(node: unknown, tag: T): node is Tags[T] =>
  isElement(node) && node.localName === tag && (node.namespaceURI === HTML_NS || node.namespaceURI === null);
