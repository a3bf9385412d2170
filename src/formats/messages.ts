/** What a PowerShell eval of a failed call stops with (the error itself is on stderr). */
export const EVAL_FAILED = 'gardin-token failed; see its error above';
