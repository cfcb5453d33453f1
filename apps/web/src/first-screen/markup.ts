import type { Messages } from '../i18n/zh-CN';

/**
 * The officer's first screen as plain HTML, for the page the server sends at
 * /officer/enterprises (built into dist/web/officer/enterprises.html by vite.config.ts). On a phone in a
 * basement the app's scripts take seconds to arrive; this search box is on screen and takes
 * typing as soon as the HTML is parsed, and the finder takes over what was typed when it
 * mounts (take-over.ts). No inline script (the CSP allows none): the one script it loads
 * is the boot file below, which starts the app.
 * It mirrors AppLayout's header and FindEnterprisePage's title and search box at phone width
 * so that the take-over does not move anything the officer is looking at.
 */
export const FIRST_SCREEN_ID = 'first-screen';
export const FIRST_SCREEN_INPUT_ID = 'first-screen-q';

const escape = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

/** The `<style>` for the head: the overlay covers the app until the finder takes over. */
export const FIRST_SCREEN_STYLE = `<style>
#${FIRST_SCREEN_ID}{position:fixed;inset:0;z-index:2000;background:#f5f5f5;overflow:auto}
#${FIRST_SCREEN_ID} .fs-header{display:flex;align-items:center;gap:8px;height:64px;padding:0 8px;background:#0b3d91;color:#fff}
#${FIRST_SCREEN_ID} .fs-menu{width:44px;height:44px;display:flex;flex-direction:column;justify-content:center;align-items:center;gap:3px}
#${FIRST_SCREEN_ID} .fs-menu i{display:block;width:14px;height:1.5px;background:#fff;border-radius:1px}
#${FIRST_SCREEN_ID} .fs-name{font-weight:600;font-size:18px;white-space:nowrap}
#${FIRST_SCREEN_ID} main{padding:12px}
#${FIRST_SCREEN_ID} h1{font-size:22px;font-weight:600;line-height:1.35;margin:0 0 12px;color:rgba(0,0,0,.88)}
#${FIRST_SCREEN_ID} .fs-search{display:flex;margin-bottom:12px}
#${FIRST_SCREEN_ID} input{flex:1;min-width:0;height:44px;box-sizing:border-box;margin:0;padding:7px 11px;font:inherit;font-size:17px;color:rgba(0,0,0,.88);background:#fff;border:1px solid #d9d9d9;border-radius:8px 0 0 8px;outline:none;text-overflow:ellipsis;-webkit-appearance:none;appearance:none}
#${FIRST_SCREEN_ID} input:focus{border-color:#0b57d0;box-shadow:0 0 0 2px rgba(5,145,255,.1)}
#${FIRST_SCREEN_ID} input::placeholder{color:#595959}
#${FIRST_SCREEN_ID} button{height:44px;padding:0 17px;font:inherit;font-size:17px;color:#fff;background:#0b57d0;border:0;border-radius:0 8px 8px 0}
#${FIRST_SCREEN_ID} .fs-wait{color:#595959;font-size:14px;margin:24px 0;text-align:center}
</style>`;

/**
 * The overlay's markup, in the given language's words. The server writes the URL's ?q= into
 * the box's `data-q value=""` (apps/api/src/web.ts).
 */
export function firstScreenHtml(messages: Messages): string {
  const hint = escape(messages.officer.findHint);
  return `<div id="${FIRST_SCREEN_ID}">
<div class="fs-header"><span class="fs-menu" aria-hidden="true"><i></i><i></i><i></i></span><span class="fs-name">${escape(messages.app.name)}</span></div>
<main><h1>${escape(messages.officer.findTitle)}</h1>
<div class="fs-search"><input id="${FIRST_SCREEN_INPUT_ID}" type="search" enterkeyhint="search" autocomplete="off" aria-label="${hint}" placeholder="${hint}" data-q value=""><button type="button" tabindex="-1" aria-hidden="true">${escape(messages.common.search)}</button></div>
<p class="fs-wait" role="status">${escape(messages.common.loading)}</p></main>
</div>`;
}

/**
 * The first screen's boot script (a file: the CSP allows no inline script). It marks the box
 * while an input method composes (take-over.ts waits for the composition to end), starts the
 * app's entry after the first paint, and says so in words if the entry cannot be loaded.
 */
export function firstScreenBoot(entry: string, messages: Messages): string {
  return `const box = document.getElementById(${JSON.stringify(FIRST_SCREEN_INPUT_ID)});
if (box) {
  box.addEventListener('compositionstart', () => { box.dataset.composing = '1'; });
  box.addEventListener('compositionend', () => { delete box.dataset.composing; });
}
const failed = () => {
  const status = document.querySelector('#${FIRST_SCREEN_ID} [role=status]');
  if (status) status.textContent = ${JSON.stringify(messages.app.loadFailed)};
};
const start = () => import(${JSON.stringify(entry)}).catch(failed);
if (document.visibilityState === 'visible') requestAnimationFrame(() => setTimeout(start, 0));
else start();
`;
}
