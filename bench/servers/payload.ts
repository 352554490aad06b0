// What the round-trip and fan-out figures send: one call message, the row its handler renders, and
// the plain-string version of that row the bare socket.io echo sends back (the same bytes, no template).
import path from "node:path";

export const VIEWS_DIR = path.join(__dirname, "..", "views");
export const CALL_FUNCTION = "bench_row";
export const EVENT = "liveview";
export const SOCKET_PATH = "/ws/liveview/";

export interface RowData {
  id: string;
  name: string;
  email: string;
  status: string;
}

export const CALL_DATA: RowData = {
  id: "1042",
  name: "Ada Lovelace",
  email: "ada.lovelace@example.com",
  status: "open",
};

/** The update the round-trip handler sends: `views/row.hbs` rendered with the call's data. */
export const rowHtml = (row: RowData): string =>
  `<tr id="row-${row.id}"><td>${row.id}</td><td>${row.name}</td><td>${row.email}</td><td>${row.status}</td>` +
  `<td><button data-liveview-function="delete_row" data-data-id="${row.id}" data-action="click->page#run">Delete</button></td></tr>\n`;

/** A broadcast whose HTML carries its sequence number, so the receivers can tell the broadcasts apart. */
export const broadcastUpdate = (seq: number): { target: string; html: string } => ({
  target: "#feed",
  html: `<li data-seq="${seq}">Alert ${seq}: disk usage above 90% on db-01</li>`,
});
