import {Chalk, type ChalkInstance} from 'chalk'

export interface ColorChoice {
  /** `--color` (true), `--no-color` (false) or neither (undefined). */
  flag: boolean | undefined
  env: NodeJS.ProcessEnv
  isTTY: boolean
}

/** Colour is on only on a terminal, never with NO_COLOR or `--no-color`; `--color` forces it. */
export function colorEnabled({flag, env, isTTY}: ColorChoice): boolean {
  if (flag !== undefined) return flag
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false
  return isTTY
}

export function makeChalk(enabled: boolean): ChalkInstance {
  return new Chalk({level: enabled ? 1 : 0})
}
