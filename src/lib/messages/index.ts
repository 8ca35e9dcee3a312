import {de} from './de.js'
import {en, type Messages} from './en.js'

export type {Messages} from './en.js'

export type Language = 'en' | 'de'

/**
 * TCRMM_LANG (`de` or `en`) wins; otherwise the first locale variable that is set, as POSIX orders them
 * (LC_ALL, LC_MESSAGES, LANG): German for `de`, `de_DE.UTF-8`, `de-AT` and the like, English for everything else.
 */
export function languageOf(env: NodeJS.ProcessEnv): Language {
  const explicit = env.TCRMM_LANG?.trim().toLowerCase()
  if (explicit) return explicit.startsWith('de') ? 'de' : 'en'
  const locale = env.LC_ALL || env.LC_MESSAGES || env.LANG || ''
  return /^de([_.@-]|$)/i.test(locale) ? 'de' : 'en'
}

/** The catalog in use, chosen once at start-up from the environment. */
export const messages: Messages = languageOf(process.env) === 'de' ? de : en
