import { liveviewHandler, renderToString, send } from "express-liveview";

// One counter per room. The layout gives each page load a room of its own, so each tab counts alone;
// pages that share a `data-room` share the count.
const counts = new Map<string, number>();

function update(room: string, delta: number): string {
  const count = (counts.get(room) ?? 0) + delta;
  counts.set(room, count);
  return renderToString("partials/counter", { count });
}

liveviewHandler("counter_increment", (consumer, content) => {
  const step = Number(content.data.step ?? 1) || 1;
  send(consumer, { target: "#counter", html: update(consumer.room, step) });
});

liveviewHandler("counter_decrement", (consumer) => {
  send(consumer, { target: "#counter", html: update(consumer.room, -1) });
});
