import { DaemonEventSchema, ROUTES, type DaemonEvent } from "@vault-tuner/shared";
import type { DeviceSettings } from "../settings/device-settings";

export type FeedState = "connecting" | "live" | "offline";

export interface LiveFeedHandlers {
  event(event: DaemonEvent): void;
  /** `live` comes after every (re)connection: anything missed while away must be fetched again then. */
  state(state: FeedState): void;
}

/** Waits between reconnection attempts: quick at first, then no more often than every 30 s. */
const RETRY_MS = [1000, 2000, 5000, 10_000, 30_000];

/**
 * The daemon's live feed (`GET /v1/events`, a websocket), one per plugin, shared by the views and the
 * status bar: parsed events, the connection's state, and reconnection with back-off for as long as it is
 * open. Browsers cannot set a websocket's headers, so the token goes in the query, as the daemon allows.
 */
export class LiveFeed {
  private socket: WebSocket | undefined;
  private retry = 0;
  private timer: number | undefined;
  private closed = true;
  private current: FeedState = "offline";
  private readonly listeners = new Set<LiveFeedHandlers>();

  constructor(private readonly device: () => DeviceSettings) {}

  get state(): FeedState {
    return this.current;
  }

  /** Listens until the returned function is called; hears the current state at once. */
  subscribe(handlers: LiveFeedHandlers): () => void {
    this.listeners.add(handlers);
    handlers.state(this.current);
    return () => this.listeners.delete(handlers);
  }

  open(): void {
    this.closed = false;
    this.connect();
  }

  close(): void {
    this.closed = true;
    window.clearTimeout(this.timer);
    this.socket?.close();
    this.socket = undefined;
  }

  /** Connects again now (after the settings changed, or when the user asks). */
  reconnect(): void {
    this.socket?.close();
    this.retry = 0;
    window.clearTimeout(this.timer);
    this.connect();
  }

  private connect(): void {
    if (this.closed) return;
    const { daemonUrl, token } = this.device();
    this.setState("connecting");
    let socket: WebSocket;
    try {
      socket = new WebSocket(
        `${daemonUrl.replace(/^http/, "ws")}${ROUTES.events.path}?token=${encodeURIComponent(token)}`,
      );
    } catch {
      this.scheduleRetry();
      return;
    }
    this.socket = socket;
    socket.onmessage = (message) => {
      const parsed = DaemonEventSchema.safeParse(safeJson(String(message.data)));
      if (!parsed.success) return; // A newer daemon's event type: nothing this plugin can show.
      if (parsed.data.type === "hello") {
        this.retry = 0;
        this.setState("live");
      }
      for (const listener of this.listeners) listener.event(parsed.data);
    };
    socket.onclose = () => {
      if (this.socket !== socket) return;
      this.socket = undefined;
      this.setState("offline");
      this.scheduleRetry();
    };
  }

  private setState(state: FeedState): void {
    this.current = state;
    for (const listener of this.listeners) listener.state(state);
  }

  private scheduleRetry(): void {
    if (this.closed) return;
    const wait = RETRY_MS[Math.min(this.retry, RETRY_MS.length - 1)] as number;
    this.retry += 1;
    this.timer = window.setTimeout(() => this.connect(), wait);
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
