import { liveviewHandler, renderToString, send } from "express-liveview";

liveviewHandler("say_hello", (consumer, content) => {
  const name = String(content.form.name ?? "").trim() || "stranger";
  send(consumer, { target: "#greeting", html: renderToString("greeting", { name }) });
});

liveviewHandler("greet", (consumer, content) => {
  const { name, greeting, shout } = content.form;
  send(consumer, {
    target: "#greetings",
    append: true,
    html: renderToString("greet_item", { name: String(name ?? ""), greeting: String(greeting ?? "Hello"), shout }),
  });
});
