import {expect} from 'chai'
import {execFileSync} from 'node:child_process'

import {BIN, REPO_ROOT} from '../support/cli.js'

describe('tcrmm --version', () => {
  it('prints from the fast path exactly what oclif itself prints', () => {
    const fast = execFileSync(process.execPath, [BIN, '--version'], {encoding: 'utf8'})
    const script = `const {run} = await import('@oclif/core'); await run(['--version'], ${JSON.stringify(BIN)})`
    const viaOclif = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      encoding: 'utf8',
      cwd: REPO_ROOT,
    })
    expect(fast).to.match(/^timecard-rmm\/\d+\.\d+\.\d+ \S+-\S+ node-v\d+/)
    expect(fast.trim()).to.equal(viaOclif.trim())
  })
})
