// Finds characters that a copy and paste adds to an AccessKey ID or secret.

/** Characters that show as nothing or as a space: zero-width characters, controls and odd spaces. */
const INVISIBLE =
  // eslint-disable-next-line no-control-regex -- control characters are what this looks for.
  /[\u0000-\u001f\u007f-\u009f\u00ad\u00a0\u1680\u180e\u2000-\u200f\u2028-\u202f\u205f-\u206f\u3000\ufeff]/u;

export interface KeyInspection {
  /** The value without leading and trailing whitespace and without invisible characters. */
  cleaned: string;
  /** Whitespace characters before the first visible character. */
  leading: number;
  /** Whitespace characters after the last visible character. */
  trailing: number;
  /** Invisible characters between visible ones, as `U+200B` code points. */
  inside: string[];
}

export function inspectKey(value: string): KeyInspection {
  const characters = [...value];
  const isBlank = (char: string) => /\s/u.test(char) || INVISIBLE.test(char);
  let start = 0;
  while (start < characters.length && isBlank(characters[start])) {
    start++;
  }
  let end = characters.length;
  while (end > start && isBlank(characters[end - 1])) {
    end--;
  }
  const middle = characters.slice(start, end);
  const inside = middle.filter(isBlank);
  return {
    cleaned: middle.filter((char) => !isBlank(char)).join(''),
    leading: start,
    trailing: characters.length - end,
    inside: inside.map(codePoint),
  };
}

export function hasDefects(inspection: KeyInspection): boolean {
  return inspection.leading + inspection.trailing + inspection.inside.length > 0;
}

function codePoint(char: string): string {
  return `U+${(char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
}
