// The browser bundle: starts Stimulus, registers the `page` controller and connects.
import { Application } from "@hotwired/stimulus";
import { connectLiveView } from "./connect_live_view.js";
import { PageController } from "./page_controller.js";

declare global {
  interface Window {
    /** The bundle's Stimulus application, so a page can register its own controllers on it. */
    Stimulus?: Application;
  }
}

function start(): void {
  const application = Application.start();
  window.Stimulus = application;
  application.register("page", PageController);
  connectLiveView();
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start, { once: true });
else start();
