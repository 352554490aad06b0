// The browser bundle: starts Stimulus, registers the `page` controller and connects.
import { Application } from "@hotwired/stimulus";
import { connectLiveView } from "./connect_live_view.js";
import { PageController } from "./page_controller.js";

function start(): void {
  const application = Application.start();
  application.register("page", PageController);
  connectLiveView();
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start, { once: true });
else start();
