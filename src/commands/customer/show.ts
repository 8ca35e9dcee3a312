import {Args} from '@oclif/core'

import {ApiCommand} from '../../lib/api-command.js'
import {getCustomer} from '../../lib/customers/customers.js'
import type {Customer} from '../../lib/customers/types.js'
import {messages} from '../../lib/messages/index.js'
import {renderFields} from '../../lib/render/fields.js'
import {colourStatus} from '../../lib/render/status.js'
import {relativeTime} from '../../lib/render/time.js'

const m = messages.customer.show

export default class CustomerShow extends ApiCommand<typeof CustomerShow> {
  static summary = m.summary
  static args = {id: Args.string({required: true, description: m.argId})}
  static examples = ['<%= config.bin %> customer show 10042', '<%= config.bin %> customer show 10042 --json']

  async run(): Promise<Customer> {
    const {client} = await this.session()
    const customer = await getCustomer(client, this.args.id)
    const l = m.labels
    const now = new Date()
    this.say(
      renderFields(
        [
          [l.customerNumber, customer.customerNumber],
          [l.agentId, customer.agentId],
          [l.name, customer.name ?? '—'],
          [l.status, customer.status],
          [l.warningCount, String(customer.warningCount)],
          [l.tcVersion, customer.tcVersion],
          [l.lastContactAt, `${customer.lastContactAt} (${relativeTime(customer.lastContactAt, now)})`],
          [l.createdAt, customer.createdAt],
        ],
        this.chalk,
      ).replace(
        /(\s)(ok|warning|critical|offline)$/m,
        (_, space, status) => space + colourStatus(status, this.chalk),
      ),
    )
    return customer
  }
}
