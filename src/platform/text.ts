/**
 * Text from outside (a server's error, a token's claims) made safe to print: every C0 and C1
 * control character, DEL and the bidirectional overrides become visible escapes, so a body can
 * neither drive the terminal (clear it, retitle it) nor forge extra lines in our messages.
 */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

export function sanitize(text: string, keepLines = false): string {
  return text.replace(UNSAFE, (c) => {
    if (keepLines && (c === '\n' || c === '\t')) return c;
    const code = c.charCodeAt(0);
    return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u{${code.toString(16)}}`;
  });
}

/** JSON for stdout: JSON.stringify escapes C0 but not C1 characters; those are escaped too. */
export const safeJson = (value: unknown): string => JSON.stringify(value).replace(/[\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

/**
 * Any `scheme://user:password@` in a text, with the credentials replaced. Up to the last `@` of
 * the word: a password may hold a `/` that a URL parser would take for the path.
 */
export const redactUrlCredentials = (text: string): string => text.replace(/(\/\/)\S*@/g, '$1***@');

/**
 * The part of a mistyped option or command word that a message may echo: its leading dashes and
 * the characters an option name is made of, nothing after (a value joined to it by a blank, an
 * "=", a quote...).
 */
export const nameOnly = (word: string): string => /^[-\u2010-\u2015\u2212\ufe58\ufe63\uff0d]*[A-Za-z0-9_.-]*/.exec(word)![0];

/** A length of time as a person reads it at a glance: "29 s", "54 min", "3 h 5 min", "12 days", "3 years". */
export function humanDuration(ms: number): string {
  // Rounded down: a token never seems to have more time left than it has.
  const s = Math.floor(Math.abs(ms) / 1000);
  const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;
  if (s < 90) return `${s} s`;
  const min = Math.floor(s / 60);
  if (min < 90) return `${min} min`;
  const h = Math.floor(min / 60);
  if (h < 48) return min % 60 === 0 ? `${h} h` : `${h} h ${min % 60} min`;
  const days = Math.floor(s / 86_400);
  if (days < 60) return plural(days, 'day');
  const months = Math.floor(days / 30.44);
  if (months < 24) return plural(months, 'month');
  return plural(Math.floor(days / 365.25), 'year');
}

/** "in 54 min" for a time ahead, "3 years ago" for one past. */
export const relativeTime = (ms: number): string => (ms >= 0 ? `in ${humanDuration(ms)}` : `${humanDuration(ms)} ago`);
