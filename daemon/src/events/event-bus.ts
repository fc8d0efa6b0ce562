import type { DaemonEvent } from "@vault-tuner/shared";

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
export type EventInput = DistributiveOmit<DaemonEvent, "at">;
type Listener = (event: DaemonEvent) => void;

/** Fans daemon events out to the live feed's subscribers. Stamps each with the time it happened. */
export class EventBus {
  private readonly listeners = new Set<Listener>();

  publish(event: EventInput): void {
    const stamped = { ...event, at: new Date().toISOString() } as DaemonEvent;
    for (const listener of this.listeners) listener(stamped);
  }

  /** Returns the function that unsubscribes. */
  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get subscriberCount(): number {
    return this.listeners.size;
  }
}
