import { liveviewHandler, renderToString, send } from "express-liveview";

// Runs when a button with data-liveview-function="say_hello" is clicked; its form comes as content.form.
liveviewHandler("say_hello", (consumer, content) => {
  const name = String(content.form.name ?? "").trim() || "stranger";
  send(consumer, { target: "#greeting", html: renderToString("greeting", { name }) });
});
