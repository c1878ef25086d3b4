// Paging of one tree folder. The pager fetches API pages one after another, following NextToken,
// and the folder shows each page as it arrives, up to a limit that each "Load More" raises.
import type { Page } from '../ecs/model';

export interface FolderPagerOptions<T> {
  /** Fetches the page after `nextToken`, or the first page for undefined. */
  fetchPage(nextToken: string | undefined): Promise<Page<T>>;
  /** The item's tree id; an id that a later page repeats is kept once. */
  keyOf(item: T): string;
  /** Items shown before the first Load More, and items each Load More adds. */
  pageSize: number;
  /** Called when the view changed after the first page: a page arrived, or a later page failed. */
  onDidChange(): void;
}

/** The items and state a folder shows at one moment. */
export interface FolderView<T> {
  /** The loaded items up to the limit, then the pinned items not among them. */
  items: T[];
  /** The loaded items among `items`, that is without the pinned ones. */
  listedCount: number;
  /** Items fetched so far, shown or not. */
  loadedCount: number;
  /** True while a page for the shown range is being fetched. */
  loading: boolean;
  /** True when the limit is reached and more items are loaded or left to fetch. */
  hasMore: boolean;
  /** True once the page with an empty NextToken has arrived. */
  complete: boolean;
  /** The error of the last page, when a page after the first failed. */
  error: unknown;
}

interface FirstPageWaiter {
  resolve(): void;
  reject(error: unknown): void;
}

/**
 * Loads a folder's items page by page. Every reset starts a new generation: pages of an older
 * generation that arrive later are dropped, so overlapping loads end with one copy of each item.
 */
export class FolderPager<T> {
  private generation = 0;
  /** Counts the fetch loops started; a loop stops once a newer one or a reset replaced it. */
  private runs = 0;
  private disposed = false;
  private loaded: T[] = [];
  private readonly loadedKeys = new Set<string>();
  /** Items added by `pin`, shown even when their page is not loaded. */
  private readonly pinned = new Map<string, T>();
  private nextToken: string | undefined;
  private complete = false;
  private fetching = false;
  private error: unknown;
  private limit: number;
  /** Settles when the first page of the current generation is in; undefined before a load. */
  private firstPage: Promise<void> | undefined;
  /** Settles `firstPage`; a reset settles it early, so that its callers move to the new load. */
  private firstPageWaiter: FirstPageWaiter | undefined;

  constructor(private readonly options: FolderPagerOptions<T>) {
    if (!Number.isInteger(options.pageSize) || options.pageSize < 1) {
      throw new RangeError(`pageSize must be a positive integer, got ${options.pageSize}.`);
    }
    this.limit = options.pageSize;
  }

  /**
   * Starts loading unless a load is under way, and resolves once the first page of the newest
   * load is in. Rejects with the first page's error; the next call then starts again.
   */
  async ready(): Promise<void> {
    for (;;) {
      const generation = this.generation;
      this.firstPage ??= this.startLoad();
      try {
        await this.firstPage;
      } catch (error) {
        if (generation === this.generation) {
          throw error;
        }
      }
      if (generation === this.generation) {
        return;
      }
      // A reset came while this call waited: wait for the newer load, so that every caller
      // gets the same items.
    }
  }

  view(): FolderView<T> {
    const shown = this.loaded.slice(0, this.limit);
    const shownKeys = new Set(shown.map((item) => this.options.keyOf(item)));
    const extra = [...this.pinned.values()].filter(
      (item) => !shownKeys.has(this.options.keyOf(item)),
    );
    const hasMore = this.loaded.length > this.limit || (!this.complete && !this.fetching);
    return {
      items: [...shown, ...extra],
      listedCount: shown.length,
      loadedCount: this.loaded.length,
      loading: this.fetching,
      hasMore: hasMore && this.error === undefined && this.firstPage !== undefined,
      complete: this.complete,
      error: this.error,
    };
  }

  /** Shows `pageSize` more items and fetches the pages they need. */
  loadMore(): void {
    if (this.error !== undefined) {
      this.retry();
      return;
    }
    if (this.fetching || (this.complete && this.loaded.length <= this.limit)) {
      return;
    }
    this.limit += this.options.pageSize;
    this.pump(this.generation);
    this.options.onDidChange();
  }

  /** Fetches again the page that failed, from the NextToken before it. */
  retry(): void {
    if (this.error === undefined || this.fetching) {
      return;
    }
    this.error = undefined;
    this.pump(this.generation);
    this.options.onDidChange();
  }

  /**
   * Drops the loaded items and pins, so the next `ready()` loads again from the first page.
   * Pages of the load under way are discarded when they arrive. The limit stays, so a refresh
   * shows as many items as before.
   */
  reset(): void {
    const waiter = this.firstPageWaiter;
    this.firstPageWaiter = undefined;
    this.generation += 1;
    this.runs += 1;
    this.loaded = [];
    this.loadedKeys.clear();
    this.pinned.clear();
    this.nextToken = undefined;
    this.complete = false;
    this.fetching = false;
    this.error = undefined;
    this.firstPage = undefined;
    waiter?.resolve();
  }

  /** Stops the load under way for good; `onDidChange` is not called again. */
  dispose(): void {
    this.disposed = true;
    this.reset();
  }

  /** Returns the loaded or pinned item with this key. */
  find(key: string): T | undefined {
    return this.pinned.get(key) ?? this.loaded.find((item) => this.options.keyOf(item) === key);
  }

  /**
   * Shows the item even if its page is not loaded, as for a search result that the tree should
   * reveal. Returns the object the folder shows for that key: the loaded one if there is one.
   */
  pin(item: T): T {
    const key = this.options.keyOf(item);
    const shown = this.find(key) ?? item;
    this.pinned.set(key, shown);
    return shown;
  }

  private startLoad(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.firstPageWaiter = { resolve, reject };
      this.pump(this.generation, this.firstPageWaiter);
    });
  }

  /** Fetches pages until the limit is reached, the last page is in, or a page fails. */
  private pump(generation: number, first?: FirstPageWaiter): void {
    this.fetching = true;
    const run = ++this.runs;
    void this.fetchUntilLimit(generation, run, first);
  }

  private async fetchUntilLimit(
    generation: number,
    run: number,
    first?: FirstPageWaiter,
  ): Promise<void> {
    const current = () => generation === this.generation && run === this.runs && !this.disposed;
    while (current() && !this.complete && this.loaded.length < this.limit) {
      let page: Page<T>;
      try {
        page = await this.options.fetchPage(this.nextToken);
      } catch (error) {
        if (!current()) {
          return;
        }
        if (first) {
          // The folder shows the error instead of items; the next ready() loads again.
          this.fetching = false;
          this.firstPage = undefined;
          this.firstPageWaiter = undefined;
          first.reject(error);
          return;
        }
        this.error = error;
        this.fetching = false;
        this.options.onDidChange();
        return;
      }
      if (!current()) {
        return;
      }
      this.append(page.items);
      this.nextToken = page.nextToken || undefined;
      this.complete = this.nextToken === undefined;
      if (this.complete || this.loaded.length >= this.limit) {
        this.fetching = false;
      }
      if (first) {
        this.firstPageWaiter = undefined;
        first.resolve();
        first = undefined;
      } else {
        this.options.onDidChange();
      }
    }
    if (current()) {
      this.fetching = false;
    }
    first?.resolve();
  }

  private append(items: T[]): void {
    for (const item of items) {
      const key = this.options.keyOf(item);
      if (this.loadedKeys.has(key)) {
        continue;
      }
      this.loadedKeys.add(key);
      // A pinned item keeps its object, so the tree has one node for the key.
      this.loaded.push(this.pinned.get(key) ?? item);
    }
  }
}
