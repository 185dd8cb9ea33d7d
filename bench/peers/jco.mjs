// jco.mjs - loads the jco peers: jco.c's canonical-ABI exports of bench.c,
// made a component and transpiled to JS by each pinned jco (jco-build.mjs,
// run by bench.mk), one directory per version under build/bench/jco/.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/** [{ version, add, reverse, sum, makeCopy } or { version, error }], by version as pinned. */
export async function jcoPeers(dir) {
  if (fs.existsSync(`${dir}/FAILED`)) return [{ version: 'all', error: fs.readFileSync(`${dir}/FAILED`, 'utf8').trim().split('\n')[0] }];
  const pkg = JSON.parse(fs.readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  const peers = [];
  for (const alias of Object.keys(pkg.dependencies).filter((n) => /^jco-/.test(n))) {
    const version = alias.slice('jco-'.length), vdir = path.join(dir, version);
    const js = path.join(vdir, 'bench.js');
    if (!fs.existsSync(js)) {
      const failed = path.join(vdir, 'FAILED');
      peers.push({ version, error: fs.existsSync(failed) ? fs.readFileSync(failed, 'utf8').trim().split('\n')[0] : `${js} was not built` });
      continue;
    }
    try {
      const m = await import(pathToFileURL(js).href);
      // make() returns a copy (jco slices the returned list out of memory, then cabi_post_make frees it).
      peers.push({ version, add: m.add, reverse: m.reverse, sum: m.sum, makeCopy: m.make });
    } catch (e) {
      peers.push({ version, error: `loading ${js}: ${e.message}` });
    }
  }
  return peers;
}
