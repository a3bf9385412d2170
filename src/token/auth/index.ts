import { basic } from './basic.js';
import { basicPlain } from './basic-plain.js';
import { clientSecretJwt } from './client-secret-jwt.js';
import type { ClientAuth } from './method.js';
import { post } from './post.js';
import { privateKeyJwt } from './private-key-jwt.js';

/** The client-authentication methods of --auth-method; the first is the default. */
export const AUTH_METHODS: readonly ClientAuth[] = [basic, basicPlain, post, clientSecretJwt, privateKeyJwt];

export const AUTH_METHOD_NAMES = AUTH_METHODS.map((m) => m.name);
export const DEFAULT_AUTH_METHOD = AUTH_METHODS[0]!.name;

export const authMethodNamed = (name: string): ClientAuth | undefined => AUTH_METHODS.find((m) => m.name === name);
