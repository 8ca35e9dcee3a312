#!/usr/bin/env node
// `npm run demo`: the main job on the embedded example data. Verifies the genuine example license and a forged
// copy offline, shows both results, and exits 0 when tcrmm told them apart (genuine valid, forgery refused).
import {spawnSync} from 'node:child_process'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const tcrmm = (...args) => {
  process.stdout.write(`\n$ tcrmm ${args.join(' ')}\n`)
  return spawnSync(process.execPath, [join(root, 'bin', 'run.js'), ...args], {cwd: root, stdio: 'inherit'})
    .status
}

const ca = ['--ca', 'examples/trust/root-ca.pem']
const genuine = tcrmm('license', 'verify', ...ca, 'examples/license_rma_Beispiel_premium_signed.xml')
const forged = tcrmm('license', 'verify', ...ca, 'examples/forged/license_rma_Beispiel_premium_signed.xml')
tcrmm('license', 'inspect', ...ca, 'examples/forged/license_rma_Beispiel_premium_signed.xml')

const ok = genuine === 0 && forged === 1
process.stdout.write(
  ok
    ? '\nDemo OK: the genuine license verified (exit 0), the forged one was refused (exit 1).\n'
    : `\nDemo FAILED: expected exit 0 for the genuine and 1 for the forged license, got ${genuine} and ${forged}.\n`,
)
process.exitCode = ok ? 0 : 1
