// What a screen's chunks weigh: `SAOLOU_BUNDLE_STATS=/tmp/stats.json npm run build:web`, then
//   node apps/web/scripts/first-screen.mjs /tmp/stats.json [Screen ...]
// prints the chunks the entry and the named lazy screens load (their static imports, which the
// browser fetches before the screen runs), gzipped, and the heaviest modules in them.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const [statsFile, ...screens] = process.argv.slice(2);
const stats = JSON.parse(readFileSync(statsFile, 'utf8'));
const root = process.env.WEB_DIR ?? 'dist/web';
const files = Object.keys(stats);
const entry = files.find((f) => stats[f].isEntry);
const wanted = [
  entry,
  ...(screens.length ? screens : ['FindEnterprisePage']).map((s) =>
    files.find((f) => f.includes(`/${s}-`)),
  ),
];
const seen = new Set();
const visit = (f) => {
  if (!f || seen.has(f)) return;
  seen.add(f);
  stats[f].imports.forEach(visit);
};
wanted.forEach(visit);
let total = 0;
const rows = [];
for (const f of seen) {
  const body = readFileSync(join(root, f));
  const gz = gzipSync(body).length;
  total += gz;
  rows.push([gz, f, body.length]);
}
rows.sort((a, b) => b[0] - a[0]);
for (const [gz, f, raw] of rows)
  console.log(
    `${(gz / 1024).toFixed(1).padStart(7)} KB gz ${(raw / 1024).toFixed(0).padStart(5)} KB  ${f}`,
  );
console.log(`${(total / 1024).toFixed(1).padStart(7)} KB gz in ${seen.size} chunks`);
const top = Number(process.env.TOP ?? 40);
const modules = [...seen].flatMap((f) =>
  Object.entries(stats[f].modules).map(([m, n]) => [n, m, f]),
);
const groups = new Map();
for (const [n, m] of modules) {
  const key = m.startsWith('@') ? m.split('/').slice(0, 2).join('/') : m.split('/')[0];
  const k =
    key === 'antd' ||
    key === '@ant-design/cssinjs' ||
    key.startsWith('rc-') ||
    key.startsWith('@rc-component')
      ? `${key}/${m
          .split('/')
          .slice(key.split('/').length, key.split('/').length + 2)
          .join('/')}`
      : key;
  groups.set(k, (groups.get(k) ?? 0) + n);
}
console.log('\nheaviest module groups (raw rendered bytes):');
for (const [k, n] of [...groups].sort((a, b) => b[1] - a[1]).slice(0, top))
  console.log(`${(n / 1024).toFixed(1).padStart(7)} KB  ${k}`);
