/**
 * gardin-token as a library: `import { getToken, createFetch } from 'gardin-token'`.
 * The CLI runs the same code; see README "Library".
 */
export { getToken, type AccessToken, type AuthMethod, type GetTokenOptions } from './library/get-token.js';
export { createFetch, type CreateFetchOptions, type GardinFetch } from './library/create-fetch.js';
export { AuthError, GardinTokenError, NetworkError, ResponseError, UsageError } from './platform/errors.js';
