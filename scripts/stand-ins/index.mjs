// The stand-ins the build gives dependencies, each in the file of its package, beside its guard
// test. How to upgrade a package that one of them patches: npm run check-upgrade.
import { commanderChildProcess } from './commander.mjs';
import { ioredisDebugOff, ioredisPrototype } from './ioredis.mjs';
import { undiciLazyHttp2 } from './undici.mjs';

export const STAND_INS = [commanderChildProcess, ioredisDebugOff, ioredisPrototype, undiciLazyHttp2];
