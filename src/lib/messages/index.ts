import {en, type Messages} from './en.js'

export type {Messages} from './en.js'

/** The catalog in use. English only for now; the German catalog (de.ts) plugs in here, chosen by TCRMM_LANG or the locale. */
export const messages: Messages = en
