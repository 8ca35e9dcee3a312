import {availableParallelism} from 'node:os'
import {Worker} from 'node:worker_threads'

import type {LicenseInput} from './inputs.js'
import {type LicenseVerdict, verifyLicenseFile, type VerifyOptions} from './verify.js'
import type {WorkerJob, WorkerSetup} from './verify-worker.js'

/** The `license verify --json` document (license-format.md); CI scripts rely on its shape. */
export interface VerifyReport {
  results: LicenseVerdict[]
  summary: {total: number; valid: number; invalid: number}
}

/** Below this many files, starting workers costs more than it saves. */
const PARALLEL_THRESHOLD = 1000
const CHUNK = 25

/**
 * Verifies every input; one bad file never stops the batch. `onResult` sees the verdicts in input order as soon
 * as they and all before them are done, so output can stream. Large batches are spread over worker threads (one
 * per core, TCRMM_VERIFY_WORKERS overrides, 0 = none); each worker runs the very same `verifyLicenseFile`.
 */
export async function verifyFiles(
  inputs: LicenseInput[],
  options: VerifyOptions,
  onResult?: (verdict: LicenseVerdict) => void,
  env: NodeJS.ProcessEnv = process.env,
): Promise<VerifyReport> {
  const workers = workerCount(inputs.length, env)
  const results =
    workers > 1
      ? await verifyInWorkers(inputs, options, workers, onResult)
      : await verifyHere(inputs, options, onResult)
  return summarize(results)
}

function workerCount(files: number, env: NodeJS.ProcessEnv): number {
  // Run from the TypeScript sources (bin/dev.js), there is no compiled worker file to start.
  if (import.meta.url.endsWith('.ts')) return 0
  const configured = env.TCRMM_VERIFY_WORKERS === undefined ? undefined : Number(env.TCRMM_VERIFY_WORKERS)
  if (configured !== undefined && Number.isInteger(configured) && configured >= 0)
    return Math.min(configured, 16)
  return files >= PARALLEL_THRESHOLD ? Math.min(availableParallelism(), 8) : 0
}

async function verifyHere(
  inputs: LicenseInput[],
  options: VerifyOptions,
  onResult?: (v: LicenseVerdict) => void,
) {
  const results: LicenseVerdict[] = []
  for (const input of inputs) {
    const verdict = await verifyLicenseFile(input.path, input.file, options)
    results.push(verdict)
    onResult?.(verdict)
  }
  return results
}

function verifyInWorkers(
  inputs: LicenseInput[],
  options: VerifyOptions,
  count: number,
  onResult?: (v: LicenseVerdict) => void,
): Promise<LicenseVerdict[]> {
  const setup: WorkerSetup = {
    rootsPem: options.trust.roots.map((root) => root.toString()),
    revokedLicenseIds: [...options.trust.revokedLicenseIds],
    at: options.at.toISOString(),
    edition: options.edition,
    company: options.company,
  }
  const jobs: WorkerJob[] = inputs.map((input, index) => ({index, path: input.path, file: input.file}))
  const results: Array<LicenseVerdict | undefined> = new Array(inputs.length)
  let nextJob = 0
  let nextToEmit = 0
  return new Promise((resolve, reject) => {
    const pool: Worker[] = []
    let finished = 0
    const stop = () => pool.forEach((worker) => void worker.terminate())
    const feed = (worker: Worker) => {
      const chunk = jobs.slice(nextJob, nextJob + CHUNK)
      nextJob += chunk.length
      if (chunk.length > 0) worker.postMessage(chunk)
      else if (++finished === pool.length) {
        stop()
        resolve(results as LicenseVerdict[])
      }
    }
    for (let i = 0; i < count; i++) {
      const worker = new Worker(new URL('./verify-worker.js', import.meta.url), {workerData: setup})
      pool.push(worker)
      worker.on('message', (done: Array<{index: number; verdict: LicenseVerdict}>) => {
        for (const {index, verdict} of done) results[index] = verdict
        // Stream in input order: emit everything contiguous from the front.
        while (nextToEmit < results.length && results[nextToEmit])
          onResult?.(results[nextToEmit++] as LicenseVerdict)
        feed(worker)
      })
      worker.on('error', (error) => {
        stop()
        reject(error)
      })
    }
    pool.forEach(feed)
  })
}

export function summarize(results: LicenseVerdict[]): VerifyReport {
  const valid = results.filter((r) => r.valid).length
  return {results, summary: {total: results.length, valid, invalid: results.length - valid}}
}
