import { NAME_RE, PROFILES, type CompletionShell } from './shell.js';
import { flagsOf, paths, type CommandSpec } from './tree.js';

// PowerShell's own completion: Register-ArgumentCompleter -Native, as gh's script does, over the
// command tree as data (hashtables) and one script block that reads the words typed so far.

/** A PowerShell single-quoted string ('' doubles a quote). */
const q = (s: string): string => `'${s.replaceAll("'", "''")}'`;
const list = (items: readonly string[]): string => `@(${items.map(q).join(', ')})`;
const table = (entries: Array<[string, string]>): string => `@{\n${entries.map(([k, v]) => `    ${q(k)} = ${v}`).join('\n')}\n  }`;

function script(spec: CommandSpec): string {
  const all = paths(spec);
  const values = new Map<string, string>();
  for (const [, c] of all) for (const o of c.options) if (o.value) for (const f of flagsOf(o)) values.set(f, Array.isArray(o.value) ? list(o.value) : q(o.value as string));
  const args = all.filter(([, c]) => c.args !== undefined).map(([path, c]): [string, string] => [path, Array.isArray(c.args) ? list(c.args) : q(c.args as string)]);
  return `# PowerShell completion for gardin-token. Load it with:
#   gardin-token completion powershell | Out-String | Invoke-Expression
# (add that line to $PROFILE to keep it).
Register-ArgumentCompleter -Native -CommandName 'gardin-token', 'gardin-token.exe' -ScriptBlock {
  param($wordToComplete, $commandAst, $cursorPosition)
  $subcommands = ${table(all.map(([path, c]) => [path, list(c.subcommands.map((s) => s.name))]))}
  $options = ${table(all.map(([path, c]) => [path, list([...c.options.flatMap(flagsOf), '--help'])]))}
  $values = ${table([...values])}
  $arguments = ${table(args)}
  # The words before the one being completed: which command they name, and what the last one asks.
  $words = @($commandAst.CommandElements | Select-Object -Skip 1 | ForEach-Object { $_.ToString() })
  if ($wordToComplete -ne '' -and $words.Count -gt 0) { $words = @($words | Select-Object -SkipLast 1) }
  $path = ''
  $pending = $null
  foreach ($w in $words) {
    if ($w -eq '--') { return }
    if ($null -ne $pending) { $pending = $null; continue }
    if ($values.ContainsKey($w)) { $pending = $w; continue }
    if ($w.StartsWith('-')) { continue }
    if ($subcommands[$path] -contains $w) { $path = ("$path $w").Trim() }
  }
  $kind = if ($null -ne $pending) { $values[$pending] } else { $null }
  $candidates = @()
  if ($kind -is [array]) { $candidates = $kind }
  elseif ($kind -eq 'profile' -or ($null -eq $kind -and $arguments[$path] -eq 'profile')) {
    # Names from the store, only those of the documented character set: nothing is evaluated.
    $candidates = @(${PROFILES.replace(' 2>/dev/null', '')} 2>$null | ForEach-Object { $_.Substring(2) } | Where-Object { $_ -match ${q(NAME_RE)} })
    if ($null -eq $kind) { $candidates += $subcommands[$path] + $options[$path] }
  }
  elseif ($kind -eq 'file') { $candidates = @(Get-ChildItem -Name -Path "$wordToComplete*" -ErrorAction SilentlyContinue) }
  elseif ($null -eq $kind) {
    $candidates = $subcommands[$path] + $options[$path]
    if ($arguments[$path] -is [array]) { $candidates += $arguments[$path] }
  }
  $candidates | Where-Object { $_ -like "$wordToComplete*" } | ForEach-Object {
    [System.Management.Automation.CompletionResult]::new($_, $_, 'ParameterValue', $_)
  }
}
`;
}

export const powershell: CompletionShell = { name: 'powershell', script };
