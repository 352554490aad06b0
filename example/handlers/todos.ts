import { liveviewHandler, renderToString, send, type Consumer } from "express-liveview";
import type { User } from "../auth";
import { exampleContext } from "../context";
import type { Db } from "../db";

export interface Todo {
  id: number;
  title: string;
  done: number;
  author: string;
}

export const listTodos = (db: Db): Todo[] => db.prepare("SELECT id, title, done, author FROM todos ORDER BY id").all() as Todo[];
const findTodo = (db: Db, id: number): Todo | undefined =>
  db.prepare("SELECT id, title, done, author FROM todos WHERE id = ?").get(id) as Todo | undefined;

/** Server-side validation: the message shown next to the field, or null. */
export function validateTitle(title: string): string | null {
  if (title.length === 0) return "Write something to do.";
  if (title.length > 100) return `Keep it under 100 characters (this is ${title.length}).`;
  return null;
}

const item = (todo: Todo, editing = false, error: string | null = null) =>
  renderToString("partials/todo_item", { todo, editing, error, value: todo.title });

/**
 * The new-todo form. A rejected title is morphed in, so the field the user is typing in keeps its text
 * and caret while the error appears; a fresh, empty form after a create replaces it (a morph would
 * leave the focused field's text alone).
 */
function newForm(consumer: Consumer, error: string | null = null, value = "", focus = false): void {
  send(consumer, { target: "#todo-new", html: renderToString("partials/todo_form", { error, value, focus }), morph: error !== null });
}

liveviewHandler("todo_create", (consumer, content) => {
  const { db } = exampleContext();
  const title = String(content.form.title ?? "").trim();
  const error = validateTitle(title);
  if (error) return newForm(consumer, error, title, true);
  const author = (consumer.scope.user as User).name;
  const { lastInsertRowid } = db
    .prepare("INSERT INTO todos (title, author, created) VALUES (?, ?, ?)")
    .run(title, author, new Date().toISOString());
  send(consumer, { target: "#todo-list", append: true, html: renderToString("partials/todo_row", { todo: findTodo(db, Number(lastInsertRowid)) }) });
  send(consumer, { target: "#todo-empty", remove: true });
  newForm(consumer, null, "", true);
});

// Keyboard "n": bring the new-todo field into focus.
liveviewHandler("todo_new", (consumer) => newForm(consumer, null, "", true));

liveviewHandler("todo_edit", (consumer, content) => {
  const { db } = exampleContext();
  const todo = findTodo(db, Number(content.data.id));
  if (todo) send(consumer, { target: `#todo-${todo.id}`, html: item(todo, true) });
});

liveviewHandler("todo_save", (consumer, content) => {
  const { db } = exampleContext();
  const todo = findTodo(db, Number(content.data.id));
  if (!todo) return;
  const title = String(content.form.title ?? "").trim();
  const error = validateTitle(title);
  if (error) {
    // Morphed: the field being edited keeps what was typed, its focus and caret; only the error appears.
    const html = renderToString("partials/todo_item", { todo, editing: true, error, value: title });
    send(consumer, { target: `#todo-${todo.id}`, html, morph: true });
    return;
  }
  db.prepare("UPDATE todos SET title = ? WHERE id = ?").run(title, todo.id);
  send(consumer, { target: `#todo-${todo.id}`, html: item({ ...todo, title }) });
});

// Keyboard "esc": leave editing without saving.
liveviewHandler("todo_cancel", (consumer, content) => {
  const { db } = exampleContext();
  const todo = findTodo(db, Number(content.data.id));
  if (todo) send(consumer, { target: `#todo-${todo.id}`, html: item(todo) });
});

liveviewHandler("todo_toggle", (consumer, content) => {
  const { db } = exampleContext();
  const todo = findTodo(db, Number(content.data.id));
  if (!todo) return;
  const done = content.form[`done-${todo.id}`] === true ? 1 : 0;
  db.prepare("UPDATE todos SET done = ? WHERE id = ?").run(done, todo.id);
  // Morphed: the checkbox keeps keyboard focus, so space toggles the next one without a click.
  send(consumer, { target: `#todo-${todo.id}`, html: item({ ...todo, done }), morph: true });
});

liveviewHandler("todo_delete", (consumer, content) => {
  const { db } = exampleContext();
  const id = Number(content.data.id);
  db.prepare("DELETE FROM todos WHERE id = ?").run(id);
  send(consumer, { target: `#todo-${id}`, remove: true });
});
