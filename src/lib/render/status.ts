import type {ChalkInstance} from 'chalk'

/** Status words coloured by severity (padding kept); the word itself stays, so the meaning survives without colour. */
export function colourStatus(status: string, chalk: ChalkInstance): string {
  switch (status.trim()) {
    case 'ok':
      return chalk.green(status)
    case 'warning':
      return chalk.yellow(status)
    case 'critical':
      return chalk.red.bold(status)
    case 'offline':
      return chalk.magenta(status)
    default:
      return status
  }
}
