#!/usr/bin/env bash
# The step of action.yml: gardin-token -o github with the inputs, on the runner's Node. The token
# is masked, exported through $GITHUB_ENV and set as the step's outputs through $GITHUB_OUTPUT; on
# failure the step fails with the tool's own error line as an annotation.
set -uo pipefail
# An input left empty is no setting at all (gardin-token refuses an empty GARDIN_* variable).
for name in GARDIN_SCOPE GARDIN_TOKEN_URL GARDIN_CACHE_URL; do
  [ -n "${!name}" ] || unset "$name"
done
tool="$GITHUB_ACTION_PATH"
# A release tag carries dist/; a branch or commit of the repository is built first.
if [ ! -f "$tool/dist/start.cjs" ]; then
  (cd "$tool" && npm ci --no-audit --no-fund --loglevel=error && npm run build --silent) >&2 || exit 1
fi
errors="$(mktemp)"
trap 'rm -f "$errors"' EXIT
status=0
node "$tool/bin/gardin-token.cjs" -o github --var-name "$GARDIN_OUTPUT_VARIABLE" 2> >(tee "$errors" >&2) || status=$?
# The tee of stderr may still be writing.
wait
if [ "$status" -ne 0 ]; then
  line="$(grep -m1 '^error: ' "$errors" || echo "error: gardin-token failed (exit $status)")"
  message="${line#error: }"
  # A workflow command's value escapes % (and CR, LF: none in one line).
  echo "::error title=gardin-token::${message//%/%25}"
fi
exit "$status"
