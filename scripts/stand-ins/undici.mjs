import { constants as http2Constants } from 'node:http2';
import { standIn } from './stand-in.mjs';

/**
 * undici's HTTP/2 client reads node:http2's constants when it is loaded, which loads http2,
 * although HTTP/2 is used only with `allowH2`, which this tool never sets. The constants are taken
 * at build time (they are HTTP/2's own); anything else of http2 loads it on first use. Serves
 * every call that makes a request: a first call took 1.06x (Node 22) and 1.12x (Node 24) as long
 * without it (30 paired runs each; 1.01x on Node 20, where other waits dominate).
 */
export const undiciLazyHttp2 = standIn(
  'undici-lazy-http2',
  'http2',
  /node_modules\/undici\//,
  `const constants = ${JSON.stringify(http2Constants)};
module.exports = new Proxy({ constants }, { get: (t, key) => (key === 'constants' ? t.constants : require('node:http2')[key]) });`,
);
