import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react-swc';
import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';
import type { Plugin } from 'vite';
import { FIRST_SCREEN_STYLE, firstScreenBoot, firstScreenHtml } from './src/first-screen/markup.ts';
import zhCN from './src/i18n/zh-CN.ts';

/**
 * `<link rel="modulepreload">` in index.html for a lazy screen's chunk and the chunks it
 * imports, so they download in parallel with the entry instead of after the entry has run and
 * the router asked for the screen (one more round trip, 560 ms on Fast 3G). For the officer's
 * first screen: a few KB that the other roles fetch without using.
 */
function preloadScreens(screens: string[]): Plugin {
  return {
    name: 'saolou-preload-screens',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(html, ctx) {
        const bundle = ctx.bundle;
        if (!bundle) return html;
        const files = new Set<string>();
        const add = (file: string) => {
          const chunk = bundle[file];
          if (!chunk || chunk.type !== 'chunk' || files.has(file)) return;
          files.add(file);
          chunk.imports.forEach(add);
        };
        for (const chunk of Object.values(bundle)) {
          if (chunk.type !== 'chunk' || !chunk.facadeModuleId) continue;
          if (screens.some((s) => chunk.facadeModuleId!.endsWith(s))) add(chunk.fileName);
        }
        const fresh = [...files].filter((f) => !html.includes(`/${f}"`));
        return fresh.map((f) => ({
          tag: 'link',
          attrs: { rel: 'modulepreload', crossorigin: '', href: `/${f}` },
          injectTo: 'head' as const,
        }));
      },
    },
  };
}

/**
 * A bundle analysis: with SAOLOU_BUNDLE_STATS=<file>, the build writes each chunk's imports and
 * the rendered bytes of every module in it (apps/web/scripts/first-screen.mjs reads it).
 */
function bundleStats(out: string | undefined): Plugin | null {
  if (!out) return null;
  return {
    name: 'saolou-bundle-stats',
    generateBundle(_options, bundle) {
      const chunks: Record<string, unknown> = {};
      for (const [file, chunk] of Object.entries(bundle)) {
        if (chunk.type !== 'chunk') continue;
        chunks[file] = {
          isEntry: chunk.isEntry,
          imports: chunk.imports,
          dynamicImports: chunk.dynamicImports,
          modules: Object.fromEntries(
            Object.entries(chunk.modules).map(([id, m]) => [
              id.replace(/^.*node_modules\//, '').replace(/^.*\/apps\/web\//, ''),
              m.renderedLength,
            ]),
          ),
        };
      }
      writeFileSync(out, JSON.stringify(chunks, null, 1));
    },
  };
}

/**
 * dist/web/officer/enterprises.html: index.html with the officer's first screen prerendered over the app
 * (src/first-screen/markup.ts), which the API sends for /officer/enterprises. The search box
 * takes typing once the HTML is parsed, seconds before the scripts have run on a slow phone
 * network; the finder takes over what was typed.
 */
function firstScreen(): Plugin {
  return {
    name: 'saolou-first-screen',
    apply: 'build',
    enforce: 'post',
    generateBundle(_options, bundle) {
      const index = bundle['index.html'];
      if (!index || index.type !== 'asset') throw new Error('index.html is not in the bundle');
      const source = String(index.source);
      const entry = /<script type="module" crossorigin src="(\/assets\/[^"]+\.js)"><\/script>/.exec(
        source,
      );
      if (!entry) throw new Error('index.html has no entry script');
      // The entry is started after the box's first paint: from the cache (the installed app)
      // the scripts are ready at once, and their evaluation — most of a second on a slow
      // phone — would otherwise come before the browser paints anything. It still downloads
      // from the start (modulepreload), so a cold visit loses nothing.
      const boot = this.emitFile({
        type: 'asset',
        name: 'first-screen-boot.js',
        source: firstScreenBoot(entry[1], zhCN),
      });
      // Function replacers: the inserted text is never read as a replacement pattern ($&…).
      const html = source
        .replace(
          entry[0],
          () =>
            `<link rel="modulepreload" crossorigin href="${entry[1]}">\n    <script type="module" src="/${this.getFileName(boot)}"></script>`,
        )
        .replace('</head>', () => `${FIRST_SCREEN_STYLE}\n</head>`)
        .replace('<div id="root">', () => `${firstScreenHtml(zhCN)}\n<div id="root">`);
      if (!html.includes('id="first-screen"')) throw new Error('index.html has no <div id="root">');
      this.emitFile({ type: 'asset', fileName: 'officer/enterprises.html', source: html });
    },
  };
}

const root = fileURLToPath(new URL('.', import.meta.url));

// Built into dist/web, which the API serves under / (one process, one origin, strict CSP:
// no inline script, so the service worker is registered from a file, not an inline tag).
export default defineConfig({
  root,
  base: '/',
  plugins: [
    react(),
    bundleStats(process.env.SAOLOU_BUNDLE_STATS),
    preloadScreens(['/pages/officer/FindEnterprisePage.tsx']),
    firstScreen(),
    VitePWA({
      registerType: 'autoUpdate',
      injectRegister: 'script-defer',
      manifest: {
        name: '扫楼 Saolou',
        short_name: '扫楼',
        lang: 'zh-CN',
        start_url: '/',
        display: 'standalone',
        theme_color: '#1677ff',
        background_color: '#ffffff',
        icons: [{ src: '/icon.svg', sizes: 'any', type: 'image/svg+xml' }],
      },
      workbox: {
        // The built assets only: API replies are never cached by the service worker (the
        // offline outbox keeps what the officer writes, in IndexedDB).
        globPatterns: ['**/*.{js,css,html,svg,webmanifest}'],
        navigateFallback: '/index.html',
        navigateFallbackDenylist: [/^\/api\//, /^\/docs/, /^\/health/],
        runtimeCaching: [],
      },
    }),
  ],
  build: {
    outDir: fileURLToPath(new URL('../../dist/web', import.meta.url)),
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
    rolldownOptions: {
      output: {
        // Few files for the officer's first screen: under Fast 3G each request costs a 560 ms
        // round trip and HTTP/1.1 opens six at a time, so the 26 small chunks Rolldown made by
        // itself came in five waves. The entry's static imports form one chunk (the shell), the
        // finder's antd pieces another; every other screen keeps the automatic chunking.
        codeSplitting: {
          groups: [
            { name: 'shell', tags: ['$initial'] },
            {
              name: 'finder',
              test: /antd[\\/]es[\\/](input|empty)[\\/]|@rc-component[\\/]input[\\/]|icons[\\/]es[\\/]icons[\\/](Search|Plus)Outlined|components[\\/]LoadMore/,
            },
          ],
        },
      },
    },
  },
  server: { proxy: { '/api': 'http://127.0.0.1:3000', '/health': 'http://127.0.0.1:3000' } },
});
