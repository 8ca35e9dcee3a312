import {formatDuration} from '../duration.js'
import {messages} from '../messages/index.js'

/** "3 min ago", "2 h 5 min ago", "just now"; the clock is passed in. */
export function relativeTime(iso: string | null | undefined, now: Date): string {
  const t = messages.time
  if (!iso) return t.never
  const ms = now.getTime() - Date.parse(iso)
  if (!Number.isFinite(ms)) return t.never
  if (Math.abs(ms) < 45_000) return t.justNow
  return ms > 0 ? t.ago(formatDuration(ms)) : t.inFuture(formatDuration(-ms))
}
