// Notices changes to the CLI's profile file while the extension runs.
import * as fs from 'node:fs';

export interface FileWatch {
  dispose(): void;
}

/**
 * Calls `onChange` when the file is created, changed, replaced or deleted. It polls the file's
 * status, because the CLI may replace the file and its folder may not exist yet, which a
 * directory watch would miss. Polling never keeps the process alive.
 */
export function watchConfigFile(file: string, onChange: () => void, intervalMs = 1000): FileWatch {
  const listener = (current: fs.Stats, previous: fs.Stats) => {
    if (
      current.mtimeMs !== previous.mtimeMs ||
      current.size !== previous.size ||
      current.ino !== previous.ino
    ) {
      onChange();
    }
  };
  fs.watchFile(file, { interval: intervalMs, persistent: false }, listener);
  return { dispose: () => fs.unwatchFile(file, listener) };
}
