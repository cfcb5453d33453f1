/**
 * The officer's first screen as the server sends it (apps/api/src/web.ts): the prerendered
 * page at /officer/enterprises with the URL's ?q= in its search box, written as text — never
 * as markup, and never read as a replacement pattern. Needs the built web app (npm test
 * builds it first).
 */
import { existsSync } from 'node:fs';
import { startTestApp, type TestApp } from '../support/app.js';

let t: TestApp;
let base: string;

beforeAll(async () => {
  if (!existsSync('dist/web/officer/enterprises.html'))
    throw new Error('dist/web is not built: npm run build first');
  t = await startTestApp();
  base = await t.app.getUrl();
});
afterAll(async () => {
  await t?.close();
});

/** The value attribute of the prerendered box, and how many boxes the page holds. */
async function box(path: string) {
  const res = await fetch(`${base}${path}`);
  const html = await res.text();
  const boxes = html.match(/<input id="first-screen-q"[^>]*>/g) ?? [];
  return {
    status: res.status,
    type: res.headers.get('content-type'),
    boxes: boxes.length,
    value: /data-q value="([^"]*)"/.exec(boxes[0] ?? '')?.[1],
    // The attribute names, read with every quoted value emptied first.
    attributes: (boxes[0] ?? '')
      .replace(/"[^"]*"/g, '""')
      .match(/\s[a-z-]+(?==)/g)
      ?.map((a) => a.trim()),
    html,
  };
}

describe('the prerendered first screen', () => {
  it('answers /officer/enterprises with the box, and every other screen with index.html', async () => {
    const finder = await box('/officer/enterprises');
    expect(finder).toMatchObject({ status: 200, boxes: 1, value: '' });
    expect(finder.type).toContain('text/html');
    expect(finder.html).toContain('<h1>找企业</h1>');
    for (const path of ['/', '/worklist', '/officer/enterprises/new', '/officer/enterprisesx']) {
      const other = await box(path);
      expect([path, other.status, other.boxes]).toEqual([path, 200, 0]);
    }
  });

  it('writes ?q= into the box as text, whatever it holds', async () => {
    const cases: [string, string][] = [
      ['坂田', '坂田'],
      ['"><script>alert(1)</script>', '&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;'],
      // Replacement patterns of String.prototype.replace: inserted as typed, not expanded.
      ['$` autofocus onfocus=alert(1) x=', '$` autofocus onfocus=alert(1) x='],
      ["$&$'$$", '$&amp;$&#39;$$'],
      ['a?b&c', 'a?b&amp;c'],
    ];
    for (const [q, value] of cases) {
      const page = await box(`/officer/enterprises?q=${encodeURIComponent(q)}`);
      expect([q, page.boxes, page.value]).toEqual([q, 1, value]);
      expect(page.attributes).toEqual([
        'id',
        'type',
        'enterkeyhint',
        'autocomplete',
        'aria-label',
        'placeholder',
        'value',
      ]);
    }
    // A second "?" belongs to the value; a long one is cut at 100 whole characters.
    expect((await box('/officer/enterprises?q=a?b')).value).toBe('a?b');
    const long = '𠀀'.repeat(150);
    expect((await box(`/officer/enterprises?q=${encodeURIComponent(long)}`)).value).toBe(
      '𠀀'.repeat(100),
    );
  });
});
