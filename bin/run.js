#!/usr/bin/env node
// `tcrmm --version` is answered here, without loading oclif (it prints exactly what oclif would): scripts call it
// to probe the tool, and it should cost little more than starting Node.
if (process.argv.length === 3 && process.argv[2] === '--version') {
  const {readFileSync} = await import('node:fs')
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'))
  process.stdout.write(
    `${pkg.name}/${pkg.version} ${process.platform}-${process.arch} node-${process.version}\n`,
  )
} else {
  const {execute} = await import('@oclif/core')
  await execute({dir: import.meta.url})
}
