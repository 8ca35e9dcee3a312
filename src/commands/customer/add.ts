import {Flags} from '@oclif/core'

import {ApiCommand} from '../../lib/api-command.js'
import {addCustomer, type AddCustomerResult} from '../../lib/customers/customers.js'
import {usageError} from '../../lib/errors.js'
import {messages} from '../../lib/messages/index.js'
import {askOrFail, terminalPrompter} from '../../lib/prompts.js'

const m = messages.customer.add

export default class CustomerAdd extends ApiCommand<typeof CustomerAdd> {
  static summary = m.summary
  static description = m.description
  static flags = {
    id: Flags.string({description: m.flagId, helpValue: 'NUMBER'}),
    agent: Flags.string({description: m.flagAgent, required: true, helpValue: 'AGENT_ID'}),
    name: Flags.string({description: m.flagName, helpValue: 'NAME'}),
  }
  static examples = [
    '<%= config.bin %> customer add --id 10042 --agent "Bäckerei Schmidt"',
    '<%= config.bin %> customer add --id K-2024-17 --agent "Müller & Söhne GmbH" --name "Müller Bad Tölz" --json',
  ]

  async run(): Promise<AddCustomerResult> {
    const {flags} = this
    const customerNumber =
      flags.id ??
      (await askOrFail('--id', () =>
        terminalPrompter().input(m.promptId(flags.agent), {validate: (v) => v.trim() !== '' || m.flagId}),
      ))
    if (customerNumber.trim() === '') throw usageError('MISSING_INPUT', m.emptyId)
    const {client} = await this.session()
    const result = await addCustomer(client, {
      customerNumber: customerNumber.trim(),
      agentId: flags.agent,
      name: flags.name,
    })
    const {customer} = result
    const line =
      result.result === 'created'
        ? m.created(customer.customerNumber, customer.agentId)
        : m.unchanged(customer.customerNumber, customer.agentId)
    this.say(`${this.chalk.green('✓')} ${line}`)
    return result
  }
}
