// Removes the previous build so a deleted source never leaves a stale command behind.
import {rmSync} from 'node:fs'

rmSync(new URL('../dist', import.meta.url), {recursive: true, force: true})
rmSync(new URL('../oclif.manifest.json', import.meta.url), {force: true})
