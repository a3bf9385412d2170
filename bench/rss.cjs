// Preloaded with --require in the RSS runs only: reports this process's peak RSS (KiB) on exit.
process.on('exit', () => require('node:fs').writeSync(3, `${process.resourceUsage().maxRSS}\n`));
