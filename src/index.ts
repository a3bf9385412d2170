/**
 * gardin-token as a library: `import { getToken } from 'gardin-token'`.
 * The CLI runs the same code; see README "Library".
 */
export { getToken, type AccessToken, type GetTokenOptions } from './library.js';
export { AuthError, GardinTokenError, NetworkError, ResponseError, UsageError } from './platform/errors.js';
