import {X509Certificate} from 'node:crypto'
import {parentPort, workerData} from 'node:worker_threads'

import type {TrustMaterial} from './trust.js'
import {verifyLicenseFile} from './verify.js'

/** What the main thread hands a worker once: trust and expectations, as plain data. */
export interface WorkerSetup {
  rootsPem: string[]
  revokedLicenseIds: string[]
  at: string
  edition?: 'standard' | 'premium'
  company?: string
}

export interface WorkerJob {
  index: number
  path: string
  file: string
}

const setup = workerData as WorkerSetup
const trust: TrustMaterial = {
  roots: setup.rootsPem.map((pem) => new X509Certificate(pem)),
  revokedLicenseIds: new Set(setup.revokedLicenseIds),
  source: 'worker',
}
const options = {trust, at: new Date(setup.at), edition: setup.edition, company: setup.company}

// Each message is a chunk of files; the answer carries the verdicts with their input positions.
parentPort?.on('message', async (jobs: WorkerJob[]) => {
  const results = []
  for (const job of jobs)
    results.push({index: job.index, verdict: await verifyLicenseFile(job.path, job.file, options)})
  parentPort?.postMessage(results)
})
