import type { SecretReader } from './reader.js';

/** A secret given outright: a flag, GARDIN_CLIENT_SECRET, a profile's stored secret. */
export const value: SecretReader<'value'> = {
  kind: 'value',
  read: async (spec) => spec.value,
};
