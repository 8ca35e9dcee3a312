import {expect} from 'chai'
import {copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, statSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {REPO_ROOT, runCli} from '../support/cli.js'
import {AT, getWorld} from '../support/licenses.js'

const CORPUS = join(REPO_ROOT, '..', 'shared', 'corpora', 'xmldsig-public')

function xmlFilesBelow(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? xmlFilesBelow(path) : name.endsWith('.xml') ? [path] : []
  })
}

describe('license verify over worker threads', () => {
  it('gives byte-identical output, in input order, with and without workers', async function () {
    this.timeout(120_000)
    const world = await getWorld()
    const dir = mkdtempSync(join(tmpdir(), 'tcrmm-batch-'))
    for (let i = 0; i < 40; i++) {
      const signed = world.sign({
        draft: {licenseId: `batch-${i}`, company: `Firma ${i} GmbH`},
        signer: i % 3 ? world.signer : world.ecSigner,
      })
      writeFileSync(
        join(dir, `l${String(i).padStart(3, '0')}.xml`),
        i % 4 === 0 ? signed.replace('premium', 'standard') : signed,
      )
    }
    writeFileSync(join(dir, 'empty.xml'), '')
    writeFileSync(join(dir, 'doctype.xml'), '<!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>')
    if (existsSync(CORPUS)) {
      mkdirSync(join(dir, 'corpus'))
      xmlFilesBelow(CORPUS)
        .slice(0, 120)
        .forEach((file, i) => copyFileSync(file, join(dir, 'corpus', `${String(i).padStart(3, '0')}.xml`)))
    }
    const args = ['license', 'verify', '--ca', world.rootPem, '--at', AT]
    const sequential = await runCli([...args, '--json', dir], {
      env: {TCRMM_VERIFY_WORKERS: '0'},
      timeoutMs: 60_000,
    })
    const parallel = await runCli([...args, '--json', dir], {
      env: {TCRMM_VERIFY_WORKERS: '2'},
      timeoutMs: 60_000,
    })
    expect(parallel.code).to.equal(1)
    expect(parallel.stdout).to.equal(sequential.stdout)
    const report = JSON.parse(parallel.stdout) as {
      results: Array<{file: string}>
      summary: {valid: number; invalid: number}
    }
    expect(report.summary.valid).to.equal(30)
    expect(report.results.map((r) => r.file)).to.deep.equal([...report.results.map((r) => r.file)].sort())
    const human = await runCli([...args, dir], {env: {TCRMM_VERIFY_WORKERS: '2'}, timeoutMs: 60_000})
    const humanSequential = await runCli([...args, dir], {
      env: {TCRMM_VERIFY_WORKERS: '0'},
      timeoutMs: 60_000,
    })
    expect(human.stdout).to.equal(humanSequential.stdout)
  })
})
