#!/usr/bin/env node
// Part of `npm run build`: bundles the start-up fast path of `license verify` (src/fast/license-verify.ts) and
// its worker into dist/bundle/, so that a verify call loads two modules instead of about a hundred (Node 20 has
// no compile cache; loading the separate modules cost more than the verification). Dependencies that the fast
// path loads only on demand (xml-crypto for the shapes our canonicalizer declines) stay outside the bundle.
import {build} from 'esbuild'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')

await build({
  absWorkingDir: root,
  entryPoints: {
    'license-verify': 'src/fast/license-verify.ts',
    // The name report.ts starts its workers by, next to the chunk that holds report.ts.
    'verify-worker': 'src/lib/license/verify-worker.ts',
  },
  outdir: 'dist/bundle',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // Bundled CommonJS packages (xmldom, node-forge) call require() for Node's own modules.
  banner: {
    js: "import {createRequire as __tcrmmRequire} from 'node:module';const require=__tcrmmRequire(import.meta.url);",
  },
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: 'none',
  logLevel: 'warning',
})
