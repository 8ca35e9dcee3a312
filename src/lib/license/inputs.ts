import {readdir, stat} from 'node:fs/promises'
import {isAbsolute, join} from 'node:path'

import {usageError} from '../errors.js'
import {messages} from '../messages/index.js'

export interface LicenseInput {
  /** Path to read. */
  path: string
  /** How the file is named in output: as the user gave it, or relative to the directory they gave. */
  file: string
}

const GLOB_CHARS = /[*?[\]{}]/

/**
 * Expands the arguments of `license verify`: a file stays a file (whatever its name), a directory means every
 * `*.xml` below it (symlinked directories are not followed, so no loops; a directory without any is a usage error), and a pattern that is not an existing
 * path is a glob (for shells that do not expand, like cmd.exe). A path that does not exist, or a glob that
 * matches nothing, is a usage error: a typo must not pass as "0 files, all valid".
 */
export async function expandLicenseInputs(
  args: string[],
  cwd: string = process.cwd(),
): Promise<LicenseInput[]> {
  const m = messages.license.inputs
  if (args.length === 0) throw usageError('NO_FILES', m.noFiles)
  const inputs: LicenseInput[] = []
  for (const arg of args) {
    const path = isAbsolute(arg) ? arg : join(cwd, arg)
    const info = await stat(path).catch(() => undefined)
    if (info?.isDirectory()) {
      const found = await xmlFilesBelow(path, arg)
      if (found.length === 0) throw usageError('NO_MATCH', m.noXmlInDir(arg))
      inputs.push(...found)
    } else if (info) {
      inputs.push({path, file: arg})
    } else if (GLOB_CHARS.test(arg)) {
      const {glob} = await import('tinyglobby')
      const matches = (await glob(arg, {cwd, absolute: false, onlyFiles: true, dot: false})).sort()
      if (matches.length === 0) throw usageError('NO_MATCH', m.noMatch(arg))
      for (const match of matches) inputs.push({path: join(cwd, match), file: match})
    } else {
      throw usageError('FILE_NOT_FOUND', m.notFound(arg))
    }
  }
  const seen = new Set<string>()
  return inputs.filter((input) => !seen.has(input.path) && seen.add(input.path))
}

/** Every `*.xml` below `dir`, sorted by name at each level, named in output below `shown` (the argument). */
async function xmlFilesBelow(dir: string, shown: string): Promise<LicenseInput[]> {
  const entries = await readdir(dir, {withFileTypes: true})
  const files: LicenseInput[] = []
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) files.push(...(await xmlFilesBelow(path, join(shown, entry.name))))
    // Anything else named *.xml is listed, FIFOs and devices too: the reader refuses them visibly (FILE_UNREADABLE).
    else if (entry.name.toLowerCase().endsWith('.xml')) files.push({path, file: join(shown, entry.name)})
  }
  return files
}
