import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openFixtureApp, type TestApp } from '../test-support';
import { contentSecurityPolicy } from './security-headers';

const STYLE = 'https://tiles.example.org/styles/streets/style.json?key=abc';

let env: TestApp;
beforeAll(async () => {
  env = await openFixtureApp({ mapStyleUrl: STYLE });
});
afterAll(() => env.close());

describe('the Content-Security-Policy', () => {
  it('lets the map reach the online basemap origin, and only that', async () => {
    const csp = (await env.app.request('/api/meta')).headers.get('Content-Security-Policy')!;
    const directive = (name: string) =>
      csp
        .split(';')
        .map((d) => d.trim())
        .find((d) => d.startsWith(`${name} `));
    expect(directive('connect-src')).toBe("connect-src 'self' https://tiles.example.org");
    expect(directive('img-src')).toBe("img-src 'self' data: blob: https://tiles.example.org");
    expect(directive('script-src')).toBe("script-src 'self'");
    expect(csp).not.toContain('key=abc');
  });

  it('stays on this origin without a basemap URL or with a malformed one', () => {
    for (const url of [undefined, 'not a url', 'data:text/plain,x']) {
      const policy = contentSecurityPolicy(url);
      expect(policy.connectSrc, String(url)).toEqual(["'self'"]);
      expect(policy.frameAncestors).toEqual(["'none'"]);
    }
  });
});
