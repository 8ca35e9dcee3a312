#!/usr/bin/env node
// Makes a fresh clone runnable: installs dependencies when missing or stale, builds when the sources are newer
// than the build. Used by `npm run demo` and `npm test` so both work right after `git clone`.
import {execSync} from 'node:child_process'
import {existsSync, readdirSync, statSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const run = (command) => execSync(command, {cwd: root, stdio: ['ignore', 'inherit', 'inherit']})
const mtime = (path) => (existsSync(path) ? statSync(path).mtimeMs : 0)
const newest = (dir) =>
  readdirSync(dir, {withFileTypes: true}).reduce((latest, entry) => {
    const path = join(dir, entry.name)
    return Math.max(latest, entry.isDirectory() ? newest(path) : mtime(path))
  }, 0)

const installed = join(root, 'node_modules', '.package-lock.json')
if (mtime(installed) < mtime(join(root, 'package-lock.json'))) {
  process.stderr.write('Installing dependencies (npm ci)…\n')
  run('npm ci --no-audit --no-fund --loglevel=error')
}

const manifest = join(root, 'oclif.manifest.json')
const built = Math.min(mtime(manifest), mtime(join(root, 'dist')))
const sources = Math.max(
  newest(join(root, 'src')),
  mtime(join(root, 'package.json')),
  mtime(join(root, 'tsconfig.json')),
)
if (built === 0 || built < sources) {
  process.stderr.write('Building (npm run build)…\n')
  run('npm run build --silent')
}
