#!/usr/bin/env node
// `npm run bench`: the performance targets of the project, measured as ratios against baselines taken in the same
// run and alternated with them (these machines are noisy). Builds what it needs: a PKI and 2000 distinct signed
// licenses (with the project's own signer), a sandbox seeded with 10,000 customers. Prints medians and ratios and
// exits 1 when a target is missed. Public tools only: child_process, perf_hooks, /proc for peak RSS on Linux.
//   npm run bench            all rows
//   npm run bench -- --quick fewer repetitions (what CI could afford)
import {execFileSync, spawn, spawnSync} from 'node:child_process'
import {createPublicKey} from 'node:crypto'
import {existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'
import {performance} from 'node:perf_hooks'
import {createInterface} from 'node:readline'
import {fileURLToPath} from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const bin = join(root, 'bin', 'run.js')
const quick = process.argv.includes('--quick')
const RUNS = quick ? 5 : 15
// The batch target is defined for 2000 files: fewer would weigh start-up more and measure something else.
const LICENSES = 2000
const work = mkdtempSync(join(tmpdir(), 'tcrmm-bench-'))
const env = {
  ...process.env,
  TCRMM_CONFIG_DIR: join(work, 'config'),
  TCRMM_NO_KEYRING: '1',
  CI: 'true',
  NO_COLOR: '1',
}
const results = []

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]
const fmt = (n, digits = 1) => n.toFixed(digits)

/** Wall time of a whole process, in ms. */
function timeProcess(command, args) {
  const started = performance.now()
  const run = spawnSync(command, args, {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 256 * 1024 * 1024,
  })
  const ms = performance.now() - started
  if (run.error) throw run.error
  return {ms, status: run.status, stdout: run.stdout}
}

/** Medians of several commands, run in rotation so drift hits all alike. */
function alternate(commands, runs = RUNS) {
  const samples = commands.map(() => [])
  for (let i = 0; i < runs; i++) {
    commands.forEach(([command, args], j) => samples[j].push(timeProcess(command, args).ms))
  }
  return samples.map(median)
}

/** Peak RSS (VmHWM) of a child process on Linux, polled until it exits; undefined elsewhere. */
function peakRss(command, args) {
  return new Promise((resolve) => {
    const child = spawn(command, args, {cwd: root, env, stdio: ['ignore', 'ignore', 'ignore']})
    let peak = 0
    const poll = setInterval(() => {
      try {
        const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))
        if (match) peak = Math.max(peak, Number(match[1]) * 1024)
      } catch {
        // The process has just exited.
      }
    }, 10)
    child.on('exit', () => {
      clearInterval(poll)
      resolve(existsSync('/proc/self/status') ? peak : undefined)
    })
  })
}

function record(what, value, target, ok, detail) {
  results.push({what, value, target, ok, detail})
  process.stdout.write(
    `${ok ? 'PASS' : 'MISS'}  ${what}: ${value}  (target ${target})${detail ? `  [${detail}]` : ''}\n`,
  )
}

async function main() {
  if (!existsSync(join(root, 'dist', 'commands')))
    execFileSync('npm', ['run', 'build'], {cwd: root, stdio: 'inherit'})
  const {createSandboxPki} = await import(join(root, 'dist/sandbox/pki.js'))
  const {buildLicenseXml} = await import(join(root, 'dist/lib/license/document.js'))
  const {signXml} = await import(join(root, 'dist/lib/license/xmldsig.js'))
  const node = process.execPath

  // --- the material
  const pki = createSandboxPki()
  const rootPem = join(work, 'root.pem')
  writeFileSync(rootPem, pki.rootCertPem)
  const dir = join(work, 'licenses')
  mkdirSync(dir)
  for (let i = 0; i < LICENSES; i++) {
    const xml = buildLicenseXml({
      licenseId: `bench-${i}`,
      edition: i % 2 ? 'premium' : 'standard',
      company: `Bench Partner ${i} GmbH`,
      partnerId: `P-${10000 + i}`,
      // After the sandbox CA's certificates were made: they must be valid at IssuedAt.
      issuedAt: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
      validUntil: '2036-12-31T23:59:59Z',
    })
    const signed = signXml(xml, {
      privateKey: pki.signerKeyPem,
      certificatesPem: pki.signerCertPem,
      signatureAlgorithm: 'rsa-sha256',
      digestAlgorithm: 'sha256',
      reference: '',
    })
    writeFileSync(join(dir, `license_${String(i).padStart(5, '0')}.xml`), signed)
  }
  const one = join(dir, 'license_00000.xml')

  // --- start-up
  const [bare, version, help, verifyHelp, verifyOne] = alternate([
    [node, ['-e', '0']],
    [node, [bin, '--version']],
    [node, [bin, '--help']],
    [node, [bin, 'license', 'verify', '--help']],
    [node, [bin, 'license', 'verify', '--ca', rootPem, one]],
  ])
  process.stdout.write(`node -e 0: ${fmt(bare)} ms median of ${RUNS}\n`)
  record(
    'tcrmm --version',
    `${fmt(version / bare, 2)}× node (${fmt(version)} ms)`,
    '≤ 1.5×',
    version / bare <= 1.5,
  )
  record('tcrmm --help', `${fmt(help / bare, 2)}× node (${fmt(help)} ms)`, '≤ 1.5×', help / bare <= 1.5)
  record(
    'tcrmm license verify --help',
    `${fmt(verifyHelp / bare, 2)}× node (${fmt(verifyHelp)} ms)`,
    '≤ 1.5×',
    verifyHelp / bare <= 1.5,
  )
  record(
    'tcrmm license verify --ca ROOT one.xml',
    `${fmt(verifyOne / bare, 2)}× node (${fmt(verifyOne)} ms)`,
    '≤ 2.0×',
    verifyOne / bare <= 2,
  )

  // --- batch: tcrmm against a plain single-threaded xml-crypto loop, and against xmlsec1 per file
  const files = readdirSync(dir).map((f) => join(dir, f))
  const {SignedXml} = await import('xml-crypto')
  const {DOMParser} = await import('@xmldom/xmldom')
  const signerKey = createPublicKey(pki.signerCertPem)
  const plainLoop = () => {
    const started = performance.now()
    for (const file of files) {
      const xml = readFileSync(file, 'utf8')
      const doc = new DOMParser().parseFromString(xml, 'text/xml')
      const signature = doc.getElementsByTagNameNS('http://www.w3.org/2000/09/xmldsig#', 'Signature')[0]
      const sig = new SignedXml({publicCert: signerKey, getCertFromKeyInfo: () => null})
      sig.loadSignature(signature)
      if (!sig.checkSignature(xml)) throw new Error(`baseline failed on ${file}`)
    }
    return files.length / ((performance.now() - started) / 1000)
  }
  const batchRuns = quick ? 1 : 3
  const baseline = []
  const ours = []
  for (let i = 0; i < batchRuns; i++) {
    baseline.push(plainLoop())
    const run = timeProcess(node, [bin, 'license', 'verify', '--ca', rootPem, '--json', dir])
    if (run.status !== 0)
      throw new Error(`tcrmm batch exited ${run.status}: ${run.stdout.toString().slice(0, 600)}`)
    ours.push(files.length / (run.ms / 1000))
  }
  const baseRate = median(baseline)
  const ourRate = median(ours)
  record(
    `license verify --json DIR (${files.length} files)`,
    `${fmt(ourRate, 0)} files/s = ${fmt(ourRate / baseRate, 2)}× plain xml-crypto (${fmt(baseRate, 0)} files/s)`,
    '≥ 4×',
    ourRate / baseRate >= 4,
  )
  const xmlsec = spawnSync('xmlsec1', ['--version'])
  if (xmlsec.status === 0) {
    const sample = files.slice(0, quick ? 10 : 40)
    const started = performance.now()
    for (const file of sample)
      spawnSync('xmlsec1', ['--verify', '--enabled-key-data', 'x509', '--trusted-pem', rootPem, file], {
        stdio: 'ignore',
      })
    const xmlsecPerFile = (performance.now() - started) / sample.length
    const ourPerFile = 1000 / ourRate
    record(
      'per file vs xmlsec1 --verify',
      `${fmt(xmlsecPerFile / ourPerFile, 1)}× faster (${fmt(ourPerFile, 2)} ms vs ${fmt(xmlsecPerFile, 1)} ms)`,
      '≥ 50×',
      xmlsecPerFile / ourPerFile >= 50,
    )
  } else {
    process.stdout.write('SKIP  xmlsec1 comparison: xmlsec1 is not installed\n')
  }

  // --- dashboard against a sandbox with 10,000 customers
  const sandbox = spawn(node, [bin, 'sandbox', 'start', '--port', '0', '--json', '--seed', '10000'], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  try {
    const info = await new Promise((resolve, reject) => {
      createInterface({input: sandbox.stdout}).once('line', (line) => resolve(JSON.parse(line)))
      sandbox.once('exit', (code) => reject(new Error(`sandbox exited ${code}`)))
    })
    const login = timeProcess(node, [
      bin,
      'login',
      '--server',
      info.url,
      '--credentials-file',
      info.credentialsFile,
    ])
    if (login.status !== 0) throw new Error('login failed')
    const [whoami, dashboard] = alternate(
      [
        [node, [bin, 'whoami', '--json']],
        [node, [bin, 'dashboard', '--json']],
      ],
      quick ? 3 : 7,
    )
    const rss = await peakRss(node, [bin, 'dashboard', '--json'])
    record(
      'dashboard --json (10,000 customers)',
      `${fmt(dashboard / whoami, 2)}× whoami (${fmt(dashboard)} ms vs ${fmt(whoami)} ms)`,
      '≤ 3×',
      dashboard / whoami <= 3,
    )
    if (rss !== undefined)
      record(
        'dashboard --json peak RSS',
        `${fmt(rss / 1024 / 1024, 0)} MB`,
        '≤ 200 MB',
        rss <= 200 * 1024 * 1024,
      )
  } finally {
    sandbox.kill('SIGTERM')
  }

  const missed = results.filter((r) => !r.ok)
  process.stdout.write(
    `\n${results.length - missed.length} of ${results.length} targets met${missed.length ? `; missed: ${missed.map((r) => r.what).join('; ')}` : ''}\n`,
  )
  process.exitCode = missed.length ? 1 : 0
}

try {
  await main()
} finally {
  rmSync(work, {recursive: true, force: true})
}
