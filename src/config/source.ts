/** Where a setting came from, for messages and the verbose trace (describeSource puts it in words). */
export type Source =
  | { kind: 'flag'; name: string }
  /** One of the library's options. */
  | { kind: 'option'; name: string }
  /** The profile the store names as its default (gardin-token profile use). */
  | { kind: 'default-profile' }
  | { kind: 'env'; name: string }
  | { kind: 'profile'; name: string }
  | { kind: 'stdin' }
  | { kind: 'file'; name: string }
  | { kind: 'command'; name: string }
  | { kind: 'keychain'; name: string }
  | { kind: 'default' };

export function describeSource(source: Source): string {
  switch (source.kind) {
    case 'flag':
      return `the ${source.name} flag`;
    case 'option':
      return `the ${source.name} option`;
    case 'default-profile':
      return 'the default profile (gardin-token profile use)';
    case 'env':
      return `the ${source.name} environment variable`;
    case 'profile':
      return `profile "${source.name}"`;
    case 'stdin':
      return 'standard input';
    case 'file':
      return `the file ${source.name}`;
    case 'command':
      return `the client-secret command of profile "${source.name}"`;
    case 'keychain':
      return `the OS keychain entry of profile "${source.name}"`;
    case 'default':
      return 'the built-in default';
  }
}
