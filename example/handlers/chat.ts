import { liveviewHandler, renderToString, send, type Consumer } from "express-liveview";
import type { Session, SessionData } from "express-session";
import type { User } from "../auth";
import { exampleContext } from "../context";
import type { Db } from "../db";

export const CHAT_ROOMS = ["general", "random", "help"];
export const chatRoomId = (name: string): string => `chat-${name}`;

interface Message {
  author: string;
  body: string;
  created: string;
}

export const recentMessages = (db: Db, room: string): Message[] =>
  (db.prepare("SELECT author, body, created FROM messages WHERE room = ? ORDER BY id DESC LIMIT 50").all(room) as Message[]).reverse();

declare module "express-session" {
  interface SessionData {
    /** What a logged-in user had typed in a room's message box when the server last restarted: room -> text. */
    chatDrafts?: Record<string, string>;
  }
}

type ChatSession = Session & Partial<SessionData>;

/** The session of a logged-in tab (a visitor's is never stored: its browser has no cookie for it). */
const sessionOf = (consumer: Consumer): ChatSession | null =>
  consumer.scope.user ? ((consumer.scope.session as ChatSession | null) ?? null) : null;

/** Keeps (or, with "", forgets) the draft of a room in the session, so the next render of the page shows it. */
function keepDraft(consumer: Consumer, room: string, text: string): void {
  const session = sessionOf(consumer);
  if (!session || (session.chatDrafts?.[room] ?? "") === text) return;
  const drafts = { ...session.chatDrafts };
  if (text) drafts[room] = text;
  else delete drafts[room];
  session.chatDrafts = drafts;
  session.save();
}

/** Hands a room's kept draft to the page being rendered, once. */
export function takeDraft(session: ChatSession, room: string): string {
  const text = session.chatDrafts?.[room] ?? "";
  if (text) {
    const drafts = { ...session.chatDrafts };
    delete drafts[room];
    session.chatDrafts = drafts;
  }
  return text;
}

/** Who is on each chat room's page now: socket id -> name (null for a visitor). One process's view. */
const presence = new Map<string, Map<string, string | null>>();

function presenceHtml(room: string): string {
  const people = [...(presence.get(room)?.values() ?? [])];
  const names = [...new Set(people.filter((name): name is string => name !== null))].sort();
  const guests = people.filter((name) => name === null).length;
  return renderToString("partials/chat_presence", { names, guests, guestsLabel: `${guests} guest${guests === 1 ? "" : "s"}` });
}

function leave(room: string, consumer: Consumer): void {
  presence.get(room)?.delete(consumer.id);
  exampleContext().liveview.sendToRoom(room, { target: "#presence", html: presenceHtml(room) });
}

/** The tab is now present in its room: everyone there sees the new list. */
function join(consumer: Consumer): void {
  const room = consumer.room;
  const people = presence.get(room) ?? new Map<string, string | null>();
  presence.set(room, people);
  if (!people.has(consumer.id)) consumer.socket.once("disconnect", () => leave(room, consumer));
  people.set(consumer.id, (consumer.scope.user as User | null)?.name ?? null);
  exampleContext().liveview.sendToRoom(room, { target: "#presence", html: presenceHtml(room) });
}

// Runs once when the chat page is shown (data-liveview-init): the tab is now present in its room.
liveviewHandler("chat_join", (consumer) => {
  if (consumer.room.startsWith("chat-")) join(consumer);
});

// The chat form's data-liveview-recover: the page reconnected to a server that never saw it (a restart, a deploy).
// The tab is present again, and what it had typed is kept, so a reload for a new version shows it again.
liveviewHandler("chat_recover", (consumer, content) => {
  if (!consumer.room.startsWith("chat-")) return;
  join(consumer);
  keepDraft(consumer, consumer.room, String(content.form.message ?? "").slice(0, 500));
});

liveviewHandler("chat_send", (consumer, content) => {
  const room = consumer.room;
  const body = String(content.form.message ?? "").trim();
  if (!room.startsWith("chat-") || !body) return;
  if (body.length > 500) {
    send(consumer, { target: "#chat-form", html: renderToString("partials/chat_form", { error: "Keep messages under 500 characters.", value: body }) });
    return;
  }
  const { db, liveview } = exampleContext();
  const message: Message = { author: (consumer.scope.user as User).name, body, created: new Date().toISOString() };
  db.prepare("INSERT INTO messages (room, author, body, created) VALUES (?, ?, ?, ?)").run(room, message.author, message.body, message.created);
  // Everyone in this room, on every tab, gets the new message; nobody in another room does.
  // The scroll is the update's `script` (not a <script> in the partial, which the page's first render would run too).
  liveview.sendToRoom(room, {
    target: "#messages",
    append: true,
    html: renderToString("partials/chat_message", message),
    script: "el.scrollTop = el.scrollHeight;",
  });
  keepDraft(consumer, room, "");
  send(consumer, { target: "#chat-form", html: renderToString("partials/chat_form", { focus: true }) });
});
