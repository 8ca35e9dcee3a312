import {closeSync, constants, fstatSync, openSync, readSync} from 'node:fs'

import {messages} from '../messages/index.js'
import {LicenseCheckError} from './codes.js'

export const MAX_LICENSE_BYTES = 1024 * 1024

/**
 * Reads a license file, never more than 1 MiB (+1 byte to notice a larger one), never blocking on a FIFO or
 * device: it opens non-blocking and refuses anything that is not a regular file. Synchronous on purpose: a batch
 * reads thousands of small files, and one buffer the size of the file beats a thread-pool round trip each.
 */
export function readLicenseBytes(path: string): Buffer {
  const d = messages.license.details
  let fd: number
  try {
    fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0))
  } catch (error) {
    throw new LicenseCheckError('FILE_UNREADABLE', d.readFailed(errorReason(error)))
  }
  try {
    const stat = fstatSync(fd)
    if (!stat.isFile()) throw new LicenseCheckError('FILE_UNREADABLE', d.notRegularFile)
    if (stat.size > MAX_LICENSE_BYTES) throw new LicenseCheckError('FILE_TOO_LARGE', d.tooLarge)
    // One byte more than the size says, up to the limit + 1: a file that grew meanwhile is still caught.
    const buffer = Buffer.allocUnsafe(Math.min(stat.size + 1, MAX_LICENSE_BYTES + 1))
    let length = 0
    while (length < buffer.length) {
      const bytesRead = readSync(fd, buffer, length, buffer.length - length, length)
      if (bytesRead === 0) break
      length += bytesRead
    }
    if (length === buffer.length && length <= MAX_LICENSE_BYTES) return readRest(fd, buffer, length)
    if (length > MAX_LICENSE_BYTES) throw new LicenseCheckError('FILE_TOO_LARGE', d.tooLarge)
    return buffer.subarray(0, length)
  } catch (error) {
    if (error instanceof LicenseCheckError) throw error
    throw new LicenseCheckError('FILE_UNREADABLE', d.readFailed(errorReason(error)))
  } finally {
    closeSync(fd)
  }
}

/** The file grew while it was read: continue up to the limit + 1 byte. */
function readRest(fd: number, start: Buffer, length: number): Buffer {
  const buffer = Buffer.alloc(MAX_LICENSE_BYTES + 1)
  start.copy(buffer, 0, 0, length)
  while (length < buffer.length) {
    const bytesRead = readSync(fd, buffer, length, buffer.length - length, length)
    if (bytesRead === 0) break
    length += bytesRead
  }
  if (length > MAX_LICENSE_BYTES)
    throw new LicenseCheckError('FILE_TOO_LARGE', messages.license.details.tooLarge)
  return buffer.subarray(0, length)
}

function errorReason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code
  const d = messages.license.details
  if (code === 'ENOENT') return d.noSuchFile
  if (code === 'EACCES' || code === 'EPERM') return d.permissionDenied
  if (code === 'EISDIR') return d.isDirectory
  return code ?? (error instanceof Error ? error.message : String(error))
}
