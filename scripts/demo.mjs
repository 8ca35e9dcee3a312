#!/usr/bin/env node
// `npm run demo`: the whole story on the sandbox, unattended, in well under a minute. Starts the sandbox on a free
// port with a temporary data dir, logs in from its credentials file, verifies its licenses offline (and refuses a
// forged copy), plays a customer installation that `tcrmm link` waits for and links with a customer number, shows
// the dashboard, stops the sandbox. Nothing outside a temporary dir is touched: config and token live there too.
import {spawn, spawnSync} from 'node:child_process'
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'
import {createInterface} from 'node:readline'
import {fileURLToPath} from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const bin = join(root, 'bin', 'run.js')
const work = mkdtempSync(join(tmpdir(), 'tcrmm-demo-'))
const env = {
  ...process.env,
  TCRMM_CONFIG_DIR: join(work, 'config'),
  TCRMM_NO_KEYRING: '1',
  TCRMM_PROFILE: 'demo',
}
const bold = (text) => (process.stdout.isTTY && !process.env.NO_COLOR ? `\u001B[1m${text}\u001B[22m` : text)
const quote = (arg) => (/^[\w./:=@-]+$/.test(arg) ? arg : `"${arg}"`)
const show = (args) => process.stdout.write(`\n${bold('$ tcrmm ' + args.map(quote).join(' '))}\n`)

function tcrmm(args, expected = 0) {
  show(args)
  const {status} = spawnSync(process.execPath, [bin, ...args], {cwd: root, env, stdio: 'inherit'})
  if (status !== expected) throw new Error(`tcrmm ${args[0]} exited ${status}, expected ${expected}`)
}

function startSandbox() {
  const args = ['sandbox', 'start', '--port', '0', '--data-dir', join(work, 'sandbox'), '--json']
  show(args)
  const child = spawn(process.execPath, [bin, ...args], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  return new Promise((resolve, reject) => {
    createInterface({input: child.stdout}).once('line', (line) => resolve({child, info: JSON.parse(line)}))
    child.once('exit', (code) => reject(new Error(`the sandbox exited (${code}) before it was ready`)))
  })
}

let sandbox
try {
  sandbox = await startSandbox()
  const {info} = sandbox
  process.stdout.write(`sandbox at ${info.url}, partner ${info.company} (${info.partnerId})\n`)
  const server = ['--server', info.url]

  tcrmm(['login', ...server, '--credentials-file', info.credentialsFile])
  // Offline now: the trust roots came with the login. A copy of the standard license edited to "premium" is refused.
  const forged = join(work, 'license_rma_forged_premium_signed.xml')
  writeFileSync(
    forged,
    readFileSync(info.licenses.standard, 'utf8').replace(
      '<Edition>standard</Edition>',
      '<Edition>premium</Edition>',
    ),
  )
  tcrmm(['license', 'verify', info.licenses.standard, info.licenses.premium])
  tcrmm(['license', 'verify', forged], 1)

  // The technician runs the wizard; meanwhile the customer's timeCard server clicks "Übernehmen".
  const company = 'Bäckerei Schmidt'
  const linkArgs = [
    'link',
    '--company',
    company,
    '--tc-version',
    '23.04.01',
    '--license',
    info.licenses.premium,
    '--id',
    '10042',
    '--wait',
    '1m',
    '--yes',
  ]
  show(linkArgs)
  const link = spawn(process.execPath, [bin, ...linkArgs], {cwd: root, env, stdio: 'inherit'})
  const linked = new Promise((resolve) => link.once('exit', resolve))
  await new Promise((resolve) => setTimeout(resolve, 2500))
  tcrmm([
    'sandbox',
    'installation',
    ...server,
    '--credentials-file',
    info.credentialsFile,
    '--company',
    company,
    '--tc-version',
    '23.04.01',
    '--license',
    info.licenses.premium,
    '--warning',
    'DISK_SPACE_LOW',
  ])
  const linkStatus = await linked
  if (linkStatus !== 0) throw new Error(`tcrmm link exited ${linkStatus}`)

  tcrmm(['dashboard'])
  process.stdout.write(
    `\n${bold('Demo OK:')} logged in, licenses verified offline (forgery refused), customer 10042 linked, dashboard shown.\n`,
  )
} catch (error) {
  process.stderr.write(`\nDemo FAILED: ${error.message}\n`)
  process.exitCode = 1
} finally {
  if (sandbox) {
    const exited = new Promise((resolve) => sandbox.child.once('exit', resolve))
    sandbox.child.kill('SIGTERM')
    await exited
  }
  rmSync(work, {recursive: true, force: true})
}
