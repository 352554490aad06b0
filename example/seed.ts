import type { Database } from "better-sqlite3";

const TOPICS = ["Python", "TypeScript", "SQLite", "WebSockets", "Express", "Django", "Rails", "Stimulus", "Handlebars", "Redis", "Node", "HTML"];
const VERBS = ["Understanding", "Getting started with", "Ten tips for", "Testing", "Scaling", "Debugging", "A tour of", "Why we chose", "Speeding up", "Securing"];
const ENDINGS = ["in production", "for beginners", "the hard way", "at scale", "in 2026", "without JavaScript", "on a budget", "step by step"];
const SENTENCES = [
  "Server-rendered HTML keeps the logic in one place.",
  "A socket carries each event to the server and the changed HTML back.",
  "Full-text search finds words anywhere in the text.",
  "Small templates are easier to test than large ones.",
  "Every page works before any script has loaded.",
  "Latency matters more than bandwidth for interactive pages.",
  "Rooms let many browsers share one live view.",
  "A queue keeps clicks made while offline until the connection is back.",
];

/** Fills the example database once: 300 articles (with their search index) and 100 items. */
export function seed(db: Database): void {
  const insertArticle = db.prepare("INSERT INTO articles (title, body, published) VALUES (?, ?, ?)");
  const index = db.prepare("INSERT INTO articles_fts (rowid, title, body) VALUES (?, ?, ?)");
  for (let i = 0; i < 300; i++) {
    const title = `${VERBS[i % VERBS.length]} ${TOPICS[(i * 7) % TOPICS.length]} ${ENDINGS[(i * 3) % ENDINGS.length]}`;
    const body = Array.from({ length: 4 }, (_, j) => SENTENCES[(i + j * 3) % SENTENCES.length]).join(" ") +
      ` This is article number ${i + 1}, about ${TOPICS[(i * 7) % TOPICS.length]}.`;
    const published = new Date(Date.UTC(2026, 0, 1) + i * 86_400_000).toISOString().slice(0, 10);
    const { lastInsertRowid } = insertArticle.run(title, body, published);
    index.run(lastInsertRowid, title, body);
  }
  const insertItem = db.prepare("INSERT INTO items (name) VALUES (?)");
  for (let i = 1; i <= 100; i++) insertItem.run(`Item ${i}`);
}
