import type { Invalidations } from './invalidations.js';

/**
 * A value read from the database once per process and kept while the invalidation channel
 * is up: a change in any process (`changed`) drops every process's copy before it is
 * answered; while the channel is down every call reads through. Callers must not mutate
 * what they get.
 */
export class CachedValue<T> {
  private cached: Promise<T> | null = null;

  constructor(
    private readonly invalidations: Invalidations,
    private readonly topic: string,
    private readonly read: () => Promise<T>,
  ) {
    invalidations.on(topic, () => (this.cached = null));
  }

  current(): Promise<T> {
    if (this.cached && this.invalidations.live) return this.cached;
    const live = this.invalidations.live;
    const reading = this.read();
    if (live) {
      this.cached = reading;
      reading.catch(() => {
        if (this.cached === reading) this.cached = null;
      });
    }
    return reading;
  }

  /** After a change: every process reads it afresh. */
  async changed(): Promise<void> {
    this.cached = null;
    await this.invalidations.publish(this.topic, '*');
  }
}
