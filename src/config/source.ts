/** Where a setting came from, for messages and the verbose trace (errors.ts puts it in words). */
export type Source =
  | { kind: 'flag'; name: string }
  | { kind: 'env'; name: string }
  | { kind: 'profile'; name: string }
  | { kind: 'stdin' }
  | { kind: 'file'; name: string }
  | { kind: 'command'; name: string }
  | { kind: 'keychain'; name: string }
  | { kind: 'default' };
