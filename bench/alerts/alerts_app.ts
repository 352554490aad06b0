// The seed's headline workload as an app: alerts in SQLite (better-sqlite3, in memory) and three actions.
//   create_random_alert: insert, re-render the table for everyone (broadcast), append a notification to the
//                        caller that removes itself after 3 s (an inline script)
//   alert_details:       one alert's details in a modal
//   delete_alert:        delete, re-render the table for everyone
import Database from "better-sqlite3";
import { liveviewHandler, liveviewRegistry, renderToString, send } from "../../server/index";
import { startPageServer, type PageServer } from "../support/page_server";
import { VIEWS_DIR } from "../servers/payload";

interface AlertRow {
  id: number;
  type: string;
  message: string;
  createdAt: string;
}

const TYPES = ["info", "warning", "critical"];
const MESSAGES = [
  "Disk usage above 90%",
  "CPU load high",
  "Backup finished",
  "Certificate expires soon",
  "Queue is backing up",
];
const HOSTS = ["db-01", "web-02", "cache-01", "worker-03"];
export const ALERT_HANDLERS = ["create_random_alert", "alert_details", "close_alert_details", "delete_alert"];

const pick = <T>(list: T[]): T => list[Math.floor(Math.random() * list.length)];

export interface AlertsApp extends PageServer {
  db: Database.Database;
}

export async function startAlertsApp(seed: number): Promise<AlertsApp> {
  const db = new Database(":memory:");
  db.exec(`CREATE TABLE alerts (id INTEGER PRIMARY KEY AUTOINCREMENT, type TEXT NOT NULL, message TEXT NOT NULL,
    created_at TEXT NOT NULL DEFAULT (datetime('now')))`);
  const insert = db.prepare("INSERT INTO alerts (type, message) VALUES (?, ?)");
  const list = db.prepare("SELECT id, type, message, created_at AS createdAt FROM alerts ORDER BY id DESC");
  const one = db.prepare("SELECT id, type, message, created_at AS createdAt FROM alerts WHERE id = ?");
  const remove = db.prepare("DELETE FROM alerts WHERE id = ?");
  const randomAlert = (): [string, string] => [pick(TYPES), `${pick(MESSAGES)} on ${pick(HOSTS)}`];
  for (let i = 0; i < seed; i++) insert.run(...randomAlert());
  const table = () => renderToString("alerts/table", { alerts: list.all() as AlertRow[] });

  liveviewHandler("create_random_alert", (consumer) => {
    const { lastInsertRowid } = insert.run(...randomAlert());
    send(consumer, { target: "#alerts-table", html: table() }, { broadcast: true });
    const alert = one.get(lastInsertRowid) as AlertRow;
    send(consumer, { target: "#notifications", html: renderToString("alerts/notification", alert), append: true });
  });
  liveviewHandler("alert_details", (consumer, content) => {
    const alert = one.get(Number(content.data.id)) as AlertRow | undefined;
    send(
      consumer,
      alert ? { target: "#modal", html: renderToString("alerts/modal", alert) } : { error: "No such alert" },
    );
  });
  liveviewHandler("close_alert_details", (consumer) => send(consumer, { target: "#modal", html: "" }));
  liveviewHandler("delete_alert", (consumer, content) => {
    remove.run(Number(content.data.id));
    send(consumer, { target: "#alerts-table", html: table() }, { broadcast: true });
  });

  const server = await startPageServer({ views: VIEWS_DIR });
  server.app.get("/", (_req, res) => res.render("alerts/page", { table: table() }));
  return {
    ...server,
    db,
    close: async () => {
      for (const name of ALERT_HANDLERS) liveviewRegistry.unregister(name);
      await server.close();
      db.close();
    },
  };
}
