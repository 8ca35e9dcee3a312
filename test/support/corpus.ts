import {readdirSync} from 'node:fs'
import {join, resolve} from 'node:path'

import {REPO_ROOT} from './cli.js'

/** The public XML-DSig corpus (../shared/corpora/xmldsig-public): test input, never edited. */
export const CORPUS_DIR = resolve(REPO_ROOT, '..', 'shared', 'corpora', 'xmldsig-public')

/** Every `*.xml` below `dir`, recursively, as the CLI documents it ("a directory means every *.xml below it"). */
export function xmlFilesBelow(dir: string): string[] {
  const files: string[] = []
  for (const entry of readdirSync(dir, {withFileTypes: true})) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) files.push(...xmlFilesBelow(path))
    else if (entry.name.toLowerCase().endsWith('.xml')) files.push(path)
  }
  return files
}
