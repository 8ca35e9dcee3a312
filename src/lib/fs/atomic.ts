import {closeSync, fsyncSync, openSync, renameSync, unlinkSync, writeSync} from 'node:fs'
import {dirname} from 'node:path'

/** Temp file in the same directory, fsync, rename over the target, fsync the directory. */
export function writeFileAtomic(path: string, content: string, mode = 0o600): void {
  const temp = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`
  const fd = openSync(temp, 'wx', mode)
  try {
    writeSync(fd, content)
    fsyncSync(fd)
  } catch (error) {
    closeSync(fd)
    unlinkSync(temp)
    throw error
  }
  closeSync(fd)
  renameSync(temp, path)
  try {
    const dirFd = openSync(dirname(path), 'r')
    fsyncSync(dirFd)
    closeSync(dirFd)
  } catch {
    // Directories cannot be opened for fsync on Windows; the rename is still atomic there.
  }
}
