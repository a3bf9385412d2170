import { describe, expect, it } from 'vitest';
import { parseProfileStore } from '../../src/config/profiles.js';

describe('parseProfileStore (the file conf writes, read without conf)', () => {
  it('reads profiles and the default; an empty file is an empty store', () => {
    expect(parseProfileStore('{"default":"a","profiles":{"a":{"clientId":"x","scope":"s"}}}', 'f')).toEqual({ default: 'a', profiles: { a: { clientId: 'x', scope: 's' } } });
    expect(parseProfileStore('', 'f')).toEqual({ profiles: {} });
    expect(parseProfileStore('{}', 'f')).toEqual({ profiles: {} });
  });
  it('ignores keys it does not know', () => {
    expect(parseProfileStore('{"profiles":{"a":{"clientId":"x","colour":"green"}},"__internal__":{}}', 'f')).toEqual({ profiles: { a: { clientId: 'x' } } });
  });
  it.each([
    ['{oops', 'it is not valid JSON'],
    ['[]', 'it is not a JSON object'],
    ['{"default":1}', '"default" is not a string'],
    ['{"profiles":[]}', '"profiles" is not an object'],
  ])('%s: exit 2 saying "%s"', (text, reason) => {
    expect(() => parseProfileStore(text, '/c/config.json')).toThrowError(
      expect.objectContaining({ exitCode: 2, code: 'ERR_CONFIG_UNREADABLE', message: `Cannot read the profile store /c/config.json: ${reason}.` }),
    );
  });
  it.each([
    ['{"profiles":{"a":"x","b":{}}}', 'profile "a" is not an object'],
    ['{"profiles":{"a":{"clientId":5},"b":{}}}', '"clientId" of profile "a" is not a string'],
    ['{"profiles":{"a":{"secretStore":"usb-stick"},"b":{}}}', '"secretStore" of profile "a" is not "keychain"'],
  ])('%s: a damaged profile is exit 2 when it is read, and only then', (text, reason) => {
    const store = parseProfileStore(text, '/c/config.json');
    // A call through another profile never reads this one: one of a thousand costs as much as one.
    expect(store.profiles.b).toEqual({});
    expect(Object.keys(store.profiles)).toEqual(['a', 'b']);
    expect(() => store.profiles.a).toThrowError(
      expect.objectContaining({ exitCode: 2, code: 'ERR_CONFIG_UNREADABLE', message: `Cannot read the profile store /c/config.json: ${reason}.` }),
    );
    expect(() => ({ ...store.profiles })).toThrowError(expect.objectContaining({ exitCode: 2 }));
  });
});
