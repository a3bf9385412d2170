import { expect } from 'vitest';
import { basicAuthorization } from '../../src/token/auth/basic.js';

/** What must never be printed for a client: its secret, and the Basic value that carries it. */
export const secretForms = (clientId: string, secret: string): string[] => [secret, basicAuthorization(clientId, secret).slice('Basic '.length)];

/** The standing rule, checked on every run a test makes: no secret in any output. */
export function expectNoLeak(outputs: string[], secrets: readonly string[]): void {
  for (const text of outputs) for (const s of secrets) expect(text).not.toContain(s);
}
