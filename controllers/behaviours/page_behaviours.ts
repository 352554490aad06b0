import type { Logger } from "../debug.js";
import type { Behaviour, CallFromElement } from "./behaviour.js";
import { ElementObserver } from "./element_observer.js";
import { FocusBehaviour } from "./focus.js";
import { InitBehaviour } from "./init.js";
import { IntersectBehaviour } from "./intersect.js";
import { KeyboardMapBehaviour } from "./keyboard_map.js";
import { PollBehaviour } from "./poll.js";
import { CallTiming } from "./timing.js";
import { TimingBehaviour } from "./timing_behaviour.js";

/** What the interaction attributes hold right now; a page that only replaces content keeps these flat. */
export interface BehaviourStats {
  intersectionObservers: number;
  observedElements: number;
  keyboardMaps: number;
  keydownListeners: number;
  /** Elements with a running debounce or throttle timer, plus elements being polled (`data-liveview-poll`). */
  timers: number;
}

/**
 * Every interaction attribute of one controller element: intersect, focus, init, keyboard maps,
 * debounce/throttle timers and polls, wired to the elements present now and to those that arrive later.
 */
export class PageBehaviours {
  readonly timing = new CallTiming();
  private readonly intersect: IntersectBehaviour;
  private readonly keyboard: KeyboardMapBehaviour;
  private readonly poll: PollBehaviour;
  private readonly observer: ElementObserver;

  constructor(root: Element, call: CallFromElement, log: Logger) {
    this.intersect = new IntersectBehaviour(call);
    this.keyboard = new KeyboardMapBehaviour(root, call, log);
    this.poll = new PollBehaviour(call, root.ownerDocument);
    const behaviours: Behaviour[] = [
      new TimingBehaviour(this.timing),
      this.intersect,
      this.keyboard,
      new InitBehaviour(call),
      new FocusBehaviour(),
      this.poll,
    ];
    this.observer = new ElementObserver(root, behaviours);
  }

  start(): void {
    this.observer.start();
  }

  stop(): void {
    this.observer.stop();
  }

  stats(): BehaviourStats {
    return {
      intersectionObservers: this.intersect.observerCount,
      observedElements: this.intersect.size,
      keyboardMaps: this.keyboard.size,
      keydownListeners: this.keyboard.listenerCount,
      timers: this.timing.size + this.poll.size,
    };
  }
}
