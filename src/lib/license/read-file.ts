import {constants} from 'node:fs'
import {open} from 'node:fs/promises'

import {messages} from '../messages/index.js'
import {LicenseCheckError} from './codes.js'

export const MAX_LICENSE_BYTES = 1024 * 1024

/**
 * Reads a license file, never more than 1 MiB (+1 byte to notice a larger one), never blocking on a FIFO or
 * device: it opens non-blocking and refuses anything that is not a regular file.
 */
export async function readLicenseBytes(path: string): Promise<Buffer> {
  const d = messages.license.details
  let handle
  try {
    handle = await open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0))
  } catch (error) {
    throw new LicenseCheckError('FILE_UNREADABLE', d.readFailed(errorReason(error)))
  }
  try {
    const stat = await handle.stat()
    if (!stat.isFile()) throw new LicenseCheckError('FILE_UNREADABLE', d.notRegularFile)
    if (stat.size > MAX_LICENSE_BYTES) throw new LicenseCheckError('FILE_TOO_LARGE', d.tooLarge)
    const buffer = Buffer.alloc(MAX_LICENSE_BYTES + 1)
    let length = 0
    while (length < buffer.length) {
      const {bytesRead} = await handle.read(buffer, length, buffer.length - length, length)
      if (bytesRead === 0) break
      length += bytesRead
    }
    if (length > MAX_LICENSE_BYTES) throw new LicenseCheckError('FILE_TOO_LARGE', d.tooLarge)
    return buffer.subarray(0, length)
  } catch (error) {
    if (error instanceof LicenseCheckError) throw error
    throw new LicenseCheckError('FILE_UNREADABLE', d.readFailed(errorReason(error)))
  } finally {
    await handle.close()
  }
}

function errorReason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code
  const d = messages.license.details
  if (code === 'ENOENT') return d.noSuchFile
  if (code === 'EACCES' || code === 'EPERM') return d.permissionDenied
  if (code === 'EISDIR') return d.isDirectory
  return code ?? (error instanceof Error ? error.message : String(error))
}
