import ora from 'ora';

/**
 * A spinner on stderr while waiting for the endpoint; only ever started on a terminal. Not on
 * one that reports zero columns (some CI pseudo-terminals): ora then never finishes clearing.
 */
export function startSpinner(text: string, color: boolean): () => void {
  if (!(process.stderr.columns > 0)) return () => undefined;
  const spinner = ora({ text, stream: process.stderr, discardStdin: false, color: color ? 'cyan' : false }).start();
  return () => spinner.stop();
}
