import * as assert from 'node:assert/strict';
import type { Page } from '../../src/ecs/model';
import { FolderPager } from '../../src/tree/folderPager';

interface Item {
  id: string;
}

/** A fetchPage whose calls wait until the test resolves or rejects them, in any order. */
class ManualPages {
  readonly calls: Array<{
    token: string | undefined;
    answer(page: Page<Item>): void;
    fail(error: Error): void;
  }> = [];

  readonly fetchPage = (token: string | undefined) =>
    new Promise<Page<Item>>((resolve, reject) => {
      this.calls.push({ token, answer: resolve, fail: reject });
    });
}

function items(from: number, count: number): Item[] {
  return Array.from({ length: count }, (_, index) => ({ id: `item-${from + index}` }));
}

function ids(list: Item[]): string[] {
  return list.map((item) => item.id);
}

/** Lets pending promise callbacks run. */
function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function pagerOf(pages: ManualPages, pageSize: number, changes: { count: number }) {
  return new FolderPager<Item>({
    fetchPage: pages.fetchPage,
    keyOf: (item) => item.id,
    pageSize,
    onDidChange: () => {
      changes.count += 1;
    },
  });
}

describe('folder pager', () => {
  it('shows the first page before the others arrive', async () => {
    const pages = new ManualPages();
    const changes = { count: 0 };
    const pager = pagerOf(pages, 250, changes);

    const ready = pager.ready();
    await settle();
    assert.equal(pages.calls.length, 1);
    assert.equal(pages.calls[0].token, undefined);
    pages.calls[0].answer({ items: items(0, 100), nextToken: 't1' });
    await ready;

    const first = pager.view();
    assert.equal(first.items.length, 100);
    assert.equal(first.loading, true);
    assert.equal(first.hasMore, false);
    await settle();
    assert.equal(pages.calls.length, 2);
    assert.equal(pages.calls[1].token, 't1');
    pages.calls[1].answer({ items: items(100, 100), nextToken: 't2' });
    await settle();
    assert.equal(changes.count, 1);
    assert.equal(pager.view().items.length, 200);
  });

  it('stops at the limit and offers Load More', async () => {
    const pages = new ManualPages();
    const changes = { count: 0 };
    const pager = pagerOf(pages, 250, changes);

    const ready = pager.ready();
    await settle();
    pages.calls[0].answer({ items: items(0, 100), nextToken: 't1' });
    await ready;
    await settle();
    pages.calls[1].answer({ items: items(100, 100), nextToken: 't2' });
    await settle();
    pages.calls[2].answer({ items: items(200, 100), nextToken: 't3' });
    await settle();

    assert.equal(pages.calls.length, 3, 'no page is fetched past the limit');
    const limited = pager.view();
    assert.equal(limited.items.length, 250);
    assert.equal(limited.loadedCount, 300);
    assert.equal(limited.loading, false);
    assert.equal(limited.hasMore, true);

    pager.loadMore();
    const more = pager.view();
    assert.equal(more.items.length, 300, 'the buffered items show at once');
    assert.equal(more.loading, true);
    await settle();
    assert.equal(pages.calls[3].token, 't3');
    pages.calls[3].answer({ items: items(300, 100), nextToken: 't4' });
    await settle();
    pages.calls[4].answer({ items: items(400, 50), nextToken: '' });
    await settle();

    const done = pager.view();
    assert.equal(done.items.length, 450);
    assert.equal(done.complete, true);
    assert.equal(done.hasMore, false);
    assert.equal(done.loading, false);
    assert.equal(pages.calls.length, 5);
  });

  it('discards the older of two overlapping loads', async () => {
    const pages = new ManualPages();
    const pager = pagerOf(pages, 500, { count: 0 });

    const older = pager.ready();
    await settle();
    pager.reset();
    const newer = pager.ready();
    await settle();
    assert.equal(pages.calls.length, 2);
    pages.calls[1].answer({ items: items(0, 3), nextToken: '' });
    await settle();
    // The older load's page arrives last, with other data, which must not show.
    pages.calls[0].answer({ items: items(100, 3), nextToken: '' });
    await Promise.all([older, newer]);
    await settle();

    assert.deepEqual(ids(pager.view().items), ['item-0', 'item-1', 'item-2']);
    assert.equal(pages.calls.length, 2, 'the discarded load fetched no second page');
  });

  it('keeps one copy of an item repeated by a page', async () => {
    const pages = new ManualPages();
    const pager = pagerOf(pages, 500, { count: 0 });

    const ready = pager.ready();
    await settle();
    pages.calls[0].answer({ items: items(0, 2), nextToken: 't1' });
    await ready;
    await settle();
    pages.calls[1].answer({ items: items(1, 2), nextToken: '' });
    await settle();

    assert.deepEqual(ids(pager.view().items), ['item-0', 'item-1', 'item-2']);
  });

  it('shows a pinned item before its page is loaded', async () => {
    const pages = new ManualPages();
    const pager = pagerOf(pages, 2, { count: 0 });
    const target = { id: 'item-7' };

    const ready = pager.ready();
    await settle();
    const shown = pager.pin(target);
    assert.equal(shown, target);
    pages.calls[0].answer({ items: items(0, 2), nextToken: 't1' });
    await ready;
    assert.deepEqual(ids(pager.view().items), ['item-0', 'item-1', 'item-7']);
    assert.equal(pager.view().listedCount, 2, 'the pinned item is not counted as listed');

    pager.loadMore();
    await settle();
    pages.calls[1].answer({ items: items(6, 2), nextToken: 't2' });
    await settle();
    const view = pager.view();
    assert.deepEqual(ids(view.items), ['item-0', 'item-1', 'item-6', 'item-7']);
    assert.equal(view.items[3], target, 'the pinned object stays the shown one');
  });

  it('fails the first page and loads again on the next call', async () => {
    const pages = new ManualPages();
    const pager = pagerOf(pages, 500, { count: 0 });

    const first = pager.ready();
    await settle();
    pages.calls[0].fail(new Error('Throttling'));
    await assert.rejects(first, /Throttling/);

    const second = pager.ready();
    await settle();
    assert.equal(pages.calls.length, 2);
    assert.equal(pages.calls[1].token, undefined);
    pages.calls[1].answer({ items: items(0, 1), nextToken: '' });
    await second;
    assert.equal(pager.view().items.length, 1);
  });

  it('retries a failed later page from its token', async () => {
    const pages = new ManualPages();
    const changes = { count: 0 };
    const pager = pagerOf(pages, 500, changes);

    const ready = pager.ready();
    await settle();
    pages.calls[0].answer({ items: items(0, 100), nextToken: 't1' });
    await ready;
    await settle();
    pages.calls[1].fail(new Error('ServiceUnavailable'));
    await settle();

    const failed = pager.view();
    assert.match(String(failed.error), /ServiceUnavailable/);
    assert.equal(failed.loading, false);
    assert.equal(failed.hasMore, false);
    assert.equal(failed.items.length, 100, 'the loaded items stay');

    pager.loadMore();
    await settle();
    assert.equal(pages.calls[2].token, 't1');
    pages.calls[2].answer({ items: items(100, 5), nextToken: '' });
    await settle();
    assert.equal(pager.view().error, undefined);
    assert.equal(pager.view().items.length, 105);
  });

  it('stops fetching once disposed', async () => {
    const pages = new ManualPages();
    const changes = { count: 0 };
    const pager = pagerOf(pages, 500, changes);

    const ready = pager.ready();
    await settle();
    pages.calls[0].answer({ items: items(0, 100), nextToken: 't1' });
    await ready;
    await settle();
    pager.dispose();
    pages.calls[1].answer({ items: items(100, 100), nextToken: 't2' });
    await settle();

    assert.equal(pages.calls.length, 2);
    assert.equal(changes.count, 0);
  });
});
