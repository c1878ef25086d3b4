/**
 * Formats a user-facing message. In the extension this is `vscode.l10n.t`, which looks the English
 * text up in `l10n/bundle.l10n.<language>.json`; below the UI layer the translator is passed in.
 */
export type Translate = (message: string, ...args: Array<string | number | boolean>) => string;

/**
 * Creates a translator from a bundle of English text to translations, with `{0}`-style
 * placeholders as `vscode.l10n.t` has them. Used by plain Node tests and scripts.
 */
export function createTranslator(bundle: Record<string, string> = {}): Translate {
  return (message, ...args) => {
    const template = bundle[message] ?? message;
    return template.replace(/\{(\d+)\}/g, (match, index: string) => {
      const value = args[Number(index)];
      return value === undefined ? match : String(value);
    });
  };
}
