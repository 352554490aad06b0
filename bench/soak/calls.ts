// The calls a virtual tab makes, as the example's pages make them (same function names, data and form
// fields), and the update that answers each: every call's handler sends exactly one update to its
// `replyTarget`, to the caller only, before the ack. Where the call carries a unique text (`token`), the
// reply carries it too. Visitors never call write handlers (example/auth.ts WRITES), as the pages do not
// offer them; a refusal would be counted as an error.
import type { JsonValue } from "../../protocol/index";

export type PageKind = "home" | "articles" | "items" | "todos" | "chat" | "dashboard";

/** Share of tabs on each page, and the share of them logged in. */
export const PAGES: Array<{ kind: PageKind; weight: number; loggedIn: number }> = [
  { kind: "home", weight: 30, loggedIn: 0.2 },
  { kind: "articles", weight: 15, loggedIn: 0.2 },
  { kind: "items", weight: 15, loggedIn: 0.2 },
  { kind: "todos", weight: 15, loggedIn: 1 },
  { kind: "chat", weight: 15, loggedIn: 0.5 },
  { kind: "dashboard", weight: 10, loggedIn: 0.2 },
];
export const CHAT_ROOMS = ["general", "random", "help"];

export interface PlannedCall {
  function: string;
  data: Record<string, JsonValue>;
  form: Record<string, JsonValue>;
  /** The target of the one update that answers the call; null when the answer goes to the room (chat_join). */
  replyTarget: string | null;
  /** A unique text the reply carries. */
  token?: string;
  counterStep?: number;
  /** chat_send: the number in its text, to recognise it in every member's broadcast. */
  chatKey?: number;
  /** todo_create: its unique title. */
  todoTitle?: string;
}

export interface CallContext {
  kind: PageKind;
  loggedIn: boolean;
  /** The todos this tab created (ids from its #todo-list updates). */
  todos: number[];
  runId: string;
  random: () => number;
  /** A text no other call of this run carries: `soak-<run>-<tab>-<seq>`. */
  uniqueText: () => string;
  /** A number no other chat message of this run carries. */
  chatKey: () => number;
}

const WORDS = ["python", "typescript", "sqlite", "websockets", "express", "django", "redis", "stimulus", "scaling", "tips"];
const ARTICLES = 300; // example/seed.ts
const ITEM_PAGES = 10;

export const chatText = (runId: string, key: number): string => `soak-${runId}-c${key}`;
/** The chat key in a #messages update, or null. */
export const chatKeyIn = (html: string, runId: string): number | null => {
  const at = html.indexOf(`soak-${runId}-c`);
  return at < 0 ? null : Number.parseInt(html.slice(at + runId.length + 7), 10);
};

const pick = <T>(random: () => number, choices: T[]): T => choices[Math.floor(random() * choices.length)];

type Planner = (context: CallContext) => PlannedCall;

const counter: Planner = ({ random }) => {
  const step = random() < 0.8 ? 1 : 10;
  return { function: "counter_increment", data: { step }, form: {}, replyTarget: "#counter", counterStep: step };
};
const sayHello: Planner = ({ uniqueText }) => {
  const token = uniqueText();
  return { function: "say_hello", data: {}, form: { name: token }, replyTarget: "#greeting", token };
};
const greet: Planner = ({ uniqueText, random }) => {
  const token = uniqueText();
  const form = { name: token, greeting: pick(random, ["Hello", "Hola", "Bonjour"]), shout: random() < 0.5 };
  return { function: "greet", data: {}, form, replyTarget: "#greetings", token };
};
const search: Planner = ({ random }) => ({
  function: "search_articles",
  data: {},
  form: { search: pick(random, WORDS) },
  replyTarget: "#search-results",
});
const openArticle: Planner = ({ random }) => ({
  function: "open_article",
  data: { id: 1 + Math.floor(random() * ARTICLES) },
  form: {},
  replyTarget: "#articles",
});
const loadMore: Planner = ({ random }) => ({
  function: "load_more",
  data: { page: 1 + Math.floor(random() * ITEM_PAGES) },
  form: {},
  replyTarget: "#items-list",
});
const todoCreate: Planner = ({ uniqueText }) => {
  const token = uniqueText();
  return { function: "todo_create", data: {}, form: { title: token }, replyTarget: "#todo-list", token, todoTitle: token };
};
const todoOwn = (name: "todo_toggle" | "todo_edit"): Planner => (context) => {
  if (context.todos.length === 0) return todoCreate(context);
  const id = pick(context.random, context.todos);
  const form = name === "todo_toggle" ? { [`done-${id}`]: context.random() < 0.5 } : {};
  return { function: name, data: { id }, form, replyTarget: `#todo-${id}` };
};
const chatSend: Planner = ({ chatKey, runId }) => {
  const key = chatKey();
  return { function: "chat_send", data: {}, form: { message: chatText(runId, key) }, replyTarget: "#chat-form", chatKey: key };
};

/** The calls each page offers, weighted (a planner listed twice is twice as likely). */
const MIX: Record<PageKind, { visitor: Planner[]; user: Planner[] }> = {
  home: { visitor: [counter, counter, sayHello, greet], user: [counter, counter, sayHello, greet] },
  articles: { visitor: [search, search, openArticle], user: [search, search, openArticle] },
  items: { visitor: [loadMore], user: [loadMore] },
  todos: { visitor: [loadMore], user: [todoCreate, todoOwn("todo_toggle"), todoOwn("todo_toggle"), todoOwn("todo_edit")] },
  // The chat page has only chat_send; visitors, who may not send, read articles meanwhile.
  chat: { visitor: [search, sayHello], user: [chatSend, chatSend, sayHello] },
  dashboard: { visitor: [search, loadMore], user: [search, loadMore] },
};

export const planCall = (context: CallContext): PlannedCall =>
  pick(context.random, MIX[context.kind][context.loggedIn ? "user" : "visitor"])(context);

/** The call the page makes by itself when it is shown (`data-liveview-init`), if any. */
export function initCall(kind: PageKind): PlannedCall | null {
  if (kind === "chat") return { function: "chat_join", data: {}, form: {}, replyTarget: null };
  if (kind === "dashboard") return { function: "dashboard_init", data: {}, form: {}, replyTarget: "#dashboard-stats" };
  return null;
}

export function pathOf(kind: PageKind, random: () => number): string {
  if (kind === "home") return "/";
  if (kind === "chat") return `/chat/${pick(random, CHAT_ROOMS)}`;
  return `/${kind}`;
}
