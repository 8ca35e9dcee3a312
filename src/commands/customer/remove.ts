import {Args, Flags} from '@oclif/core'

import {ApiCommand} from '../../lib/api-command.js'
import {getCustomer, removeCustomer} from '../../lib/customers/customers.js'
import {usageError} from '../../lib/errors.js'
import {messages} from '../../lib/messages/index.js'
import {canPrompt, terminalPrompter} from '../../lib/prompts.js'

const m = messages.customer.remove

export default class CustomerRemove extends ApiCommand<typeof CustomerRemove> {
  static summary = m.summary
  static args = {id: Args.string({required: true, description: m.argId})}
  static flags = {yes: Flags.boolean({char: 'y', description: m.flagYes})}
  static examples = [
    '<%= config.bin %> customer remove 10042',
    '<%= config.bin %> customer remove 10042 --yes',
  ]

  async run() {
    const {client} = await this.session()
    const customer = await getCustomer(client, this.args.id)
    if (!this.flags.yes) {
      if (!canPrompt()) throw usageError('CONFIRMATION_REQUIRED', m.needsYes)
      if (!(await terminalPrompter().confirm(m.confirm(customer.customerNumber, customer.agentId)))) {
        this.say(m.cancelled)
        return {removed: false, customerNumber: customer.customerNumber, agentId: customer.agentId}
      }
    }
    await removeCustomer(client, customer.customerNumber)
    this.say(`${this.chalk.green('✓')} ${m.removed(customer.customerNumber, customer.agentId)}`)
    return {removed: true, customerNumber: customer.customerNumber, agentId: customer.agentId}
  }
}
