/**
 * oclif finds commands through oclif.manifest.json, which the build writes: a command missing from it, or a
 * manifest left from an older build, would make a command vanish or run stale code without any error.
 */
import {expect} from 'chai'
import {readdirSync, readFileSync, statSync} from 'node:fs'
import {join, relative, sep} from 'node:path'

import {REPO_ROOT} from '../support/cli.js'

const COMMANDS = join(REPO_ROOT, 'src', 'commands')

function commandIds(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return commandIds(path)
    return name.endsWith('.ts') ? [relative(COMMANDS, path).slice(0, -3).split(sep).join(':')] : []
  })
}

describe('oclif.manifest.json', () => {
  const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'oclif.manifest.json'), 'utf8'))
  const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8'))

  it('lists exactly the commands of src/commands', () => {
    const ids = commandIds(COMMANDS)
    expect(ids).to.include('license:verify')
    expect(Object.keys(manifest.commands).sort()).to.deep.equal(ids.sort())
  })

  it('was written for this version of the package', () => {
    expect(manifest.version).to.equal(pkg.version)
  })
})
