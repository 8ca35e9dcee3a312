import {CliError, usageError} from './errors.js'
import {messages} from './messages/index.js'

/** Prompts only when a person can answer: stdin and stdout are terminals and CI is not set (cli.md). */
export function canPrompt(env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(process.stdin.isTTY && process.stdout.isTTY) && !env.CI
}

/** The questions commands ask; passed in, so logic under test never touches a terminal. */
export interface Prompter {
  input(
    message: string,
    options?: {default?: string; validate?: (value: string) => true | string},
  ): Promise<string>
  password(message: string): Promise<string>
  confirm(message: string, defaultValue?: boolean): Promise<boolean>
}

/** @inquirer/prompts, loaded only when a prompt is really shown; Ctrl-C ends the command with exit 130. */
export function terminalPrompter(): Prompter {
  const load = () => import('@inquirer/prompts')
  const interrupted = (error: unknown): never => {
    if ((error as Error)?.name === 'ExitPromptError')
      throw new CliError('INTERRUPTED', 'INTERRUPTED', messages.common.interrupted)
    throw error
  }
  return {
    input: async (message, options = {}) =>
      (await load())
        .input({message, default: options.default, validate: options.validate})
        .catch(interrupted),
    password: async (message) => (await load()).password({message, mask: '•'}).catch(interrupted),
    confirm: async (message, defaultValue = false) =>
      (await load()).confirm({message, default: defaultValue}).catch(interrupted),
  }
}

/** A value that a flag did not give: asked for on a terminal, else a usage error naming the flag. */
export async function askOrFail(
  flag: string,
  ask: () => Promise<string>,
  env: NodeJS.ProcessEnv = process.env,
): Promise<string> {
  if (!canPrompt(env)) throw usageError('MISSING_INPUT', messages.common.missingFlag(flag))
  return ask()
}

/** Everything on stdin, for `--password-stdin`; one trailing line end is not part of the password. */
export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '')
}
