import ora from 'ora';

/** A spinner on stderr while waiting for the endpoint; only ever started on a terminal. */
export function startSpinner(text: string): () => void {
  const spinner = ora({ text, stream: process.stderr, discardStdin: false }).start();
  return () => spinner.stop();
}
