// Locators and actions for the parts of the VS Code 1.100 web workbench (code-server 4.100.3) that
// the UI tests use: activity bar, tree views, context menus, quick picks, notifications, the
// Output panel, the status bar and dialogs. Each action waits for its element; none sleeps.
import type { Locator, Page } from 'playwright-core';

/** Text and separator of one rendered quick pick row. */
export interface QuickPickRow {
  label: string;
  description: string;
  detail: string;
  /** Label of the separator drawn above this row, or an empty string. */
  separator: string;
}

/** Text of one rendered tree row. */
interface TreeRowText {
  index: number;
  level: number;
  label: string;
}

export class WorkbenchPage {
  constructor(readonly page: Page) {}

  // Activity bar and views

  activityBarItem(title: string): Locator {
    return this.page
      .locator('.part.activitybar a.action-label')
      .and(this.page.getByLabel(title, { exact: true }));
  }

  /**
   * Clicks the view container's icon, unless the side bar shows that container already (a second
   * click would hide the side bar), and waits for the side bar to show its title.
   */
  async openViewContainer(title: string): Promise<void> {
    const sideBarTitle = this.page.locator('.part.sidebar .title-label h2', { hasText: title });
    if (!(await sideBarTitle.isVisible())) {
      await this.activityBarItem(title).click();
    }
    await sideBarTitle.waitFor();
  }

  // Tree views

  /**
   * Returns the side bar tree row labelled `label`, optionally at an aria-level (1 for the roots).
   * Rows outside the scrolled area are not rendered and cannot be found.
   */
  treeItem(label: string, level?: number): Locator {
    const rows = this.page.locator(
      level === undefined
        ? '.part.sidebar .monaco-list-row[role="treeitem"]'
        : `.part.sidebar .monaco-list-row[role="treeitem"][aria-level="${level}"]`,
    );
    return rows.filter({
      has: this.page.locator('.label-name').getByText(label, { exact: true }),
    });
  }

  /** Expands a collapsed tree row and waits until the tree shows it expanded. */
  async expand(row: Locator): Promise<void> {
    if ((await row.getAttribute('aria-expanded')) !== 'true') {
      await row.locator('.monaco-tl-twistie').click();
    }
    await row.and(this.page.locator('[aria-expanded="true"]')).waitFor();
  }

  /** Labels of the rendered rows one level below `row`, in the order the tree shows them. */
  async childLabels(row: Locator): Promise<string[]> {
    const parentIndex = Number(await row.getAttribute('data-index'));
    const parentLevel = Number(await row.getAttribute('aria-level'));
    const rows: TreeRowText[] = await row
      .locator('xpath=..')
      .locator(':scope > .monaco-list-row')
      .evaluateAll((elements) =>
        elements.map((element) => ({
          index: Number(element.getAttribute('data-index')),
          level: Number(element.getAttribute('aria-level')),
          label: element.querySelector('.label-name')?.textContent?.trim() ?? '',
        })),
      );
    rows.sort((a, b) => a.index - b.index);
    const labels: string[] = [];
    let expectedIndex = parentIndex + 1;
    for (const child of rows.filter((candidate) => candidate.index > parentIndex)) {
      // A gap in the indexes is a row that is not rendered, so what follows is not known.
      if (child.index !== expectedIndex || child.level <= parentLevel) {
        break;
      }
      if (child.level === parentLevel + 1) {
        labels.push(child.label);
      }
      expectedIndex += 1;
    }
    return labels;
  }

  // Context menus

  /** Right-clicks the element and returns the context menu entry, once the menu shows it. */
  async openContextMenu(target: Locator, entry: string): Promise<Locator> {
    await target.click({ button: 'right' });
    const item = this.menuItem(entry);
    await item.waitFor();
    return item;
  }

  menuItem(name: string): Locator {
    return this.page.getByRole('menuitem', { name, exact: true });
  }

  // Quick picks

  get quickInput(): Locator {
    return this.page.locator('.quick-input-widget');
  }

  get quickInputTitle(): Locator {
    return this.quickInput.locator('.quick-input-title');
  }

  get quickPickRows(): Locator {
    return this.quickInput.locator('.quick-input-list .monaco-list-row[role="option"]');
  }

  /** Returns the quick pick row with this label. An icon in the label is ignored. */
  quickPickItem(label: string): Locator {
    return this.quickPickRows.filter({
      has: this.page.locator('.quick-input-list-rows .label-name').getByText(label, {
        exact: true,
      }),
    });
  }

  /** Waits for the quick pick to list at least one row, and returns the rendered rows' text. */
  async readQuickPick(): Promise<QuickPickRow[]> {
    await this.quickPickRows.first().waitFor();
    const rows = await this.quickPickRows.evaluateAll((elements) =>
      elements.map((element) => {
        const text = (selector: string) =>
          element.querySelector(selector)?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
        const separator = element.querySelector('.quick-input-list-separator');
        return {
          index: Number(element.getAttribute('data-index')),
          label: text('.quick-input-list-row .label-name'),
          description: text('.quick-input-list-row .label-description'),
          detail: text('.quick-input-list-label-meta .label-name'),
          separator:
            separator && separator.getAttribute('style')?.includes('display: none') !== true
              ? (separator.textContent?.trim() ?? '')
              : '',
        };
      }),
    );
    rows.sort((a, b) => a.index - b.index);
    return rows.map(({ label, description, detail, separator }) => ({
      label,
      description,
      detail,
      separator,
    }));
  }

  async waitForQuickInputClosed(): Promise<void> {
    await this.quickInput.waitFor({ state: 'hidden' });
  }

  /** Opens the command palette (F1), types the command title and runs the matching entry. */
  async runCommand(title: string): Promise<void> {
    await this.page.keyboard.press('F1');
    await this.quickInput.locator('input').fill(`>${title}`);
    await this.quickPickItem(title).click();
  }

  // Notifications

  /** Returns the notification toast whose message contains the text. */
  notification(text: string): Locator {
    return this.page.locator('.notifications-toasts .notification-toast').filter({
      has: this.page.locator('.notification-list-item-message', { hasText: text }),
    });
  }

  // Output panel

  /** Opens the Output panel on the channel through "Output: Show Output Channels...". */
  async showOutputChannel(channel: string): Promise<void> {
    await this.runCommand('Output: Show Output Channels...');
    await this.quickPickItem(channel).click();
    await this.page
      .locator('.part.panel .title-actions select.monaco-select-box option:checked', {
        hasText: channel,
      })
      .waitFor({ state: 'attached' });
  }

  /**
   * Lines of the Output panel's editor that contain the text, once a view line shows it. The text
   * must be short enough not to be wrapped across two view lines.
   */
  async outputLines(containing: string): Promise<string[]> {
    const viewLines = this.page.locator('.part.panel .monaco-editor .view-lines');
    await viewLines.locator('.view-line', { hasText: containing }).first().waitFor();
    return (await this.outputText()).split('\n').filter((line) => line.includes(containing));
  }

  /**
   * Reads the text of the rendered Output lines. The editor wraps a long line into several view
   * lines, so the pieces are joined and split again before each log line's timestamp.
   */
  async outputText(): Promise<string> {
    const pieces = await this.page
      .locator('.part.panel .monaco-editor .view-lines .view-line')
      .evaluateAll((elements) =>
        elements.map((element) => ({
          top: Number.parseFloat(
            element.getAttribute('style')?.match(/top:\s*([\d.]+)px/)?.[1] ?? '0',
          ),
          text: element.textContent ?? '',
        })),
      );
    pieces.sort((a, b) => a.top - b.top);
    return pieces
      .map(({ text }) => text.replace(/\u00a0/g, ' '))
      .join('')
      .replace(/(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3} \[)/g, '\n$1')
      .trim();
  }

  // Status bar

  /** Returns the status bar entry with this id, `<publisher>.<name>.<item id>` for an extension. */
  statusBarItem(id: string): Locator {
    return this.page.locator(`.part.statusbar .statusbar-item[id="${id}"]`);
  }

  /** Reads the text of a status bar entry as shown, without its codicons. */
  async statusBarText(item: Locator): Promise<string> {
    const text = await item.locator('.statusbar-item-label').textContent();
    return (text ?? '').replace(/\s+/g, ' ').trim();
  }

  /** Hovers the element and returns the hover that shows the text. */
  async hoverFor(target: Locator, text: string): Promise<Locator> {
    await target.hover();
    const hover = this.page.locator('.workbench-hover', { hasText: text });
    await hover.waitFor();
    return hover;
  }

  // Dialogs

  get dialog(): Locator {
    return this.page.locator('.monaco-dialog-box');
  }
}
