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

/** Text and checked state of one rendered row of a quick pick with `canSelectMany`. */
export interface QuickPickCheckboxRow extends QuickPickRow {
  checked: boolean;
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

  /** Collapses an expanded tree row and waits until the tree shows it collapsed. */
  async collapse(row: Locator): Promise<void> {
    if ((await row.getAttribute('aria-expanded')) === 'true') {
      await row.locator('.monaco-tl-twistie').click();
    }
    await row.and(this.page.locator('[aria-expanded="false"]')).waitFor();
  }

  /** Labels of the selected rows of the side bar tree, in the order the tree shows them. */
  async selectedTreeLabels(): Promise<string[]> {
    const rows = await this.page
      .locator('.part.sidebar .monaco-list-row[role="treeitem"][aria-selected="true"]')
      .evaluateAll((elements) =>
        elements.map((element) => ({
          index: Number(element.getAttribute('data-index')),
          label: element.querySelector('.label-name')?.textContent?.trim() ?? '',
        })),
      );
    rows.sort((a, b) => a.index - b.index);
    return rows.map(({ label }) => label);
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

  /**
   * Runs a context menu entry: hovering focuses it and Enter runs it. VS Code 1.100 menu entries
   * ignore a mouse-up in the first 100 ms after they render, so a click that follows the menu's
   * appearance at once may be lost.
   */
  async runMenuItem(item: Locator): Promise<void> {
    await item.hover();
    await item.and(this.page.locator(':focus')).waitFor();
    await this.page.keyboard.press('Enter');
    await item.waitFor({ state: 'hidden' });
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
    const rows = await this.readRows(this.quickPickRows);
    return rows.map(({ label, description, detail, separator }) => ({
      label,
      description,
      detail,
      separator,
    }));
  }

  /** Rows of a quick pick with `canSelectMany`, which VS Code renders as checkboxes. */
  get quickPickCheckboxRows(): Locator {
    return this.quickInput.locator('.quick-input-list .monaco-list-row[role="checkbox"]');
  }

  /** Returns the checkbox row with this label in a quick pick with `canSelectMany`. */
  quickPickCheckboxItem(label: string): Locator {
    return this.quickPickCheckboxRows.filter({
      has: this.page.locator('.quick-input-list-rows .label-name').getByText(label, {
        exact: true,
      }),
    });
  }

  /**
   * Waits for a quick pick with `canSelectMany` to list at least one row, and returns the
   * rendered rows' text and checked state.
   */
  async readQuickPickCheckboxes(): Promise<QuickPickCheckboxRow[]> {
    return this.readRows(this.quickPickCheckboxRows);
  }

  private async readRows(rowsLocator: Locator): Promise<QuickPickCheckboxRow[]> {
    await rowsLocator.first().waitFor();
    const rows = await rowsLocator.evaluateAll((elements) =>
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
          checked: element.getAttribute('aria-checked') === 'true',
        };
      }),
    );
    rows.sort((a, b) => a.index - b.index);
    return rows.map(({ index: _index, ...row }) => row);
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

  /** Returns the button of a notification, in a toast or in the notifications center. */
  notificationButton(notification: Locator, name: string): Locator {
    return notification.getByRole('button', { name, exact: true });
  }

  /**
   * Opens the notifications center, which keeps every notification of the session with its
   * buttons after its toast has hidden.
   */
  async showNotificationsCenter(): Promise<void> {
    await this.runCommand('Notifications: Show Notifications');
    await this.page.locator('.notifications-center.visible').waitFor();
  }

  /** Returns the notifications center's entry whose message contains the text. */
  notificationsCenterItem(text: string): Locator {
    return this.page.locator('.notifications-center .notification-list-item').filter({
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
   * Types the text into the Output view's filter box and waits until every log line shown contains
   * it. The text must appear in the first view line of each log line, as for `outputLines`.
   */
  async filterOutput(text: string): Promise<void> {
    await this.page.locator('.part.panel .viewpane-filter input').fill(text);
    await this.page
      .locator('.part.panel .monaco-editor .view-lines .view-line')
      // The editor renders spaces as no-break spaces, which \s matches.
      .filter({ hasText: /^\d{4}-\d{2}-\d{2}\s\d{2}:\d{2}:\d{2}\.\d{3}\s\[/ })
      .filter({ hasNotText: text })
      .first()
      .waitFor({ state: 'detached' });
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

  /** Waits for a dialog and returns its message, its detail and its buttons' labels. */
  async readDialog(): Promise<{ message: string; detail: string; buttons: string[] }> {
    await this.dialog.waitFor();
    // innerText keeps the line breaks of a multi-line detail, which textContent drops.
    const text = async (selector: string) =>
      (await this.dialog.locator(selector).innerText()).trim();
    return {
      message: await text('.dialog-message-text'),
      detail: await text('.dialog-message-detail'),
      buttons: (await this.dialog.locator('.dialog-buttons .monaco-button').allTextContents()).map(
        (label) => label.trim(),
      ),
    };
  }

  dialogButton(name: string): Locator {
    return this.dialog.locator('.dialog-buttons').getByRole('button', { name, exact: true });
  }
}
