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
