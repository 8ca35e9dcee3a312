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

/** Below this many files, starting a worker (it loads the verifier again, about 40 ms) does not pay. */
const PARALLEL_THRESHOLD = 300
const CHUNK = 25

/**
 * Verifies every input; one bad file never stops the batch. `onResult` sees the verdicts in input order as soon
 * as they and all before them are done, so output can stream. Large batches are shared between this thread and
 * worker threads (one per further core; TCRMM_VERIFY_WORKERS sets how many, 0 = none), chunk by chunk as each
 * is free (none on 2 cores, see workerCount); every thread runs the very same `verifyLicenseFile`.
 */
export async function verifyFiles(
  inputs: LicenseInput[],
  options: VerifyOptions,
  onResult?: (verdict: LicenseVerdict) => void,
  env: NodeJS.ProcessEnv = process.env,
): Promise<VerifyReport> {
  const workers = workerCount(inputs.length, env)
  const results =
    workers > 0
      ? await verifyWithWorkers(inputs, options, workers, onResult)
      : await verifyHere(inputs, options, onResult)
  return summarize(results)
}

function workerCount(files: number, env: NodeJS.ProcessEnv): number {
  // Run from the TypeScript sources (bin/dev.js), there is no compiled worker file to start.
  if (import.meta.url.endsWith('.ts')) return 0
  const configured = env.TCRMM_VERIFY_WORKERS === undefined ? undefined : Number(env.TCRMM_VERIFY_WORKERS)
  if (configured !== undefined && Number.isInteger(configured) && configured >= 0)
    return Math.min(configured, 16)
  // One core stays free for V8's own compiler and collector threads: on 2 cores, one worker beside this thread
  // made batches slower (2000 files: 433 ms against 386 ms; 4000: 577 against 528), as those threads already
  // keep the second core busy.
  return files >= PARALLEL_THRESHOLD ? Math.max(0, Math.min(availableParallelism(), 8) - 2) : 0
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

async function verifyWithWorkers(
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
  const results: Array<LicenseVerdict | undefined> = new Array(inputs.length)
  let nextJob = 0
  let nextToEmit = 0
  /** The next chunk of input positions, [start, end); empty when all are handed out. */
  const takeChunk = (): [number, number] => {
    const start = nextJob
    nextJob = Math.min(inputs.length, nextJob + CHUNK)
    return [start, nextJob]
  }
  // Stream in input order: emit everything contiguous from the front.
  const emit = () => {
    while (nextToEmit < results.length && results[nextToEmit])
      onResult?.(results[nextToEmit++] as LicenseVerdict)
  }

  const pool = Array.from(
    {length: count},
    () => new Worker(new URL('./verify-worker.js', import.meta.url), {workerData: setup}),
  )
  const workersDone = pool.map(
    (worker) =>
      new Promise<void>((resolve, reject) => {
        const feed = () => {
          const [start, end] = takeChunk()
          if (start === end) return resolve()
          const jobs: WorkerJob[] = []
          for (let index = start; index < end; index++) {
            const input = inputs[index] as LicenseInput
            jobs.push({index, path: input.path, file: input.file})
          }
          worker.postMessage(jobs)
        }
        worker.on('message', (done: Array<{index: number; verdict: LicenseVerdict}>) => {
          for (const {index, verdict} of done) results[index] = verdict
          emit()
          feed()
        })
        worker.once('error', reject)
        // A worker that ends before its work is done (killed, out of memory) must not leave the batch waiting.
        worker.once('exit', (code) => reject(new Error(`a verify worker exited early (${code})`)))
        // Only a running worker gets work; until then this thread takes every chunk itself.
        worker.once('online', feed)
      }),
  )
  const allDone = Promise.all(workersDone)
  // Awaited below, after this thread's share; handled now, so that an early failure is not an unhandled one.
  allDone.catch(() => undefined)
  try {
    // This thread works too, a chunk at a time, letting the workers' answers in between.
    for (let [start, end] = takeChunk(); start < end; [start, end] = takeChunk()) {
      for (let index = start; index < end; index++) {
        const input = inputs[index] as LicenseInput
        results[index] = await verifyLicenseFile(input.path, input.file, options)
      }
      emit()
      await new Promise((resolve) => setImmediate(resolve))
    }
    await allDone
  } finally {
    for (const worker of pool) void worker.terminate()
  }
  return results as LicenseVerdict[]
}

export function summarize(results: LicenseVerdict[]): VerifyReport {
  const valid = results.filter((r) => r.valid).length
  return {results, summary: {total: results.length, valid, invalid: results.length - valid}}
}
