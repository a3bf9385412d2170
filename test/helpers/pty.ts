/**
 * `script` running a shell line on a pseudo-terminal, its exit status passed on: util-linux's
 * (-e) on Linux; on macOS, BSD's, which takes the command as words and passes the status on itself.
 */
export const scriptOnPty = (line: string): [string, string[]] =>
  process.platform === 'darwin' ? ['script', ['-q', '/dev/null', 'sh', '-c', line]] : ['script', ['-qec', line, '/dev/null']];
