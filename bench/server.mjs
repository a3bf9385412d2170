// A token endpoint for the benchmark, in its own process so that timing the CLI with spawnSync
// never blocks it. Prints its port; GET /count answers the number of token requests so far.
import { createServer } from 'node:http';

const latency = Number(process.argv[2] ?? 0);
let count = 0;
let n = 0;
const server = createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/count') {
    res.end(String(count));
    return;
  }
  req.resume();
  req.on('end', () => {
    count++;
    setTimeout(() => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ access_token: `bench-token-${++n}-${'x'.repeat(400)}`, token_type: 'Bearer', expires_in: 3600 }));
    }, latency);
  });
});
server.listen(0, '127.0.0.1', () => process.stdout.write(`${server.address().port}\n`));
process.on('SIGTERM', () => process.exit(0));
