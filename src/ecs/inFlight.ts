// A cap on the API requests in flight at once, per region and overall, so that opening a large
// account or running a batch sends a bounded burst instead of one request per expanded node.

export interface InFlightLimits {
  /** Requests in flight at once in one region. */
  perRegion: number;
  /** Requests in flight at once in all regions together. */
  overall: number;
}

/**
 * The caps the gateway applies unless its options set others. Five per region is the default
 * of the concurrencyPerRegion setting; the session passes that setting as `perRegion`.
 */
export const DEFAULT_IN_FLIGHT_LIMITS: InFlightLimits = { perRegion: 5, overall: 10 };

interface Waiter {
  key: string;
  start: () => void;
}

/**
 * Runs tasks with at most `perRegion` running for one key and `overall` running in total.
 * Waiting tasks start in the order they arrived, except that a task whose region is full lets
 * tasks of other regions behind it go first.
 */
export class InFlightLimiter {
  private readonly running = new Map<string, number>();
  private readonly waiting: Waiter[] = [];
  private total = 0;
  private readonly limits: InFlightLimits;

  constructor(limits: Partial<InFlightLimits> = {}) {
    this.limits = {
      perRegion: positiveInteger(limits.perRegion, DEFAULT_IN_FLIGHT_LIMITS.perRegion, 'perRegion'),
      overall: positiveInteger(limits.overall, DEFAULT_IN_FLIGHT_LIMITS.overall, 'overall'),
    };
  }

  /** Tasks running now, overall. */
  get inFlight(): number {
    return this.total;
  }

  /** Tasks waiting for a free slot. */
  get queued(): number {
    return this.waiting.length;
  }

  /** Runs the task once its region and the overall count have room, and frees the slot after. */
  async run<T>(key: string, task: () => Promise<T>): Promise<T> {
    await new Promise<void>((start) => {
      this.waiting.push({ key, start });
      this.startWaiting();
    });
    try {
      return await task();
    } finally {
      this.total -= 1;
      const count = (this.running.get(key) ?? 1) - 1;
      if (count === 0) {
        this.running.delete(key);
      } else {
        this.running.set(key, count);
      }
      this.startWaiting();
    }
  }

  private startWaiting(): void {
    for (let index = 0; index < this.waiting.length && this.total < this.limits.overall;) {
      const waiter = this.waiting[index];
      const count = this.running.get(waiter.key) ?? 0;
      if (count >= this.limits.perRegion) {
        index += 1;
        continue;
      }
      this.waiting.splice(index, 1);
      this.running.set(waiter.key, count + 1);
      this.total += 1;
      waiter.start();
    }
  }
}

function positiveInteger(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) {
    return fallback;
  }
  if (!Number.isInteger(value) || value < 1) {
    throw new RangeError(`The in-flight limit ${name} must be a positive integer, got ${value}.`);
  }
  return value;
}
