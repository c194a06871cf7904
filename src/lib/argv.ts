/**
 * ecs-cli argument order. ecs-cli (urfave/cli) accepts flags between topic words:
 *   ecsx compose --project-name p --file f service up   ≡   ecsx compose service up -p p -f f
 * oclif wants the whole command id first, so before `execute()` we move every flag that sits between the words of a
 * command id to just after the id, keeping the flags' relative order. Words are only taken as part of the id while
 * they extend a known command or topic; everything after the id is left exactly as it was.
 *
 * Pure and dependency-free: bin/run.js imports it before oclif.
 */

/** Flags that take a value (long names without dashes, short chars), among the flags that may sit between words. */
export const VALUE_FLAGS = new Set([
  'cluster',
  'cluster-config',
  'region',
  'project-name',
  'file',
  'ecs-params',
  'ecs-profile',
  'aws-profile',
  'endpoint-url',
  'backend',
  'task-role-arn',
  'registry-creds',
  'launch-type',
  'tags',
])
export const VALUE_CHARS = new Set(['c', 'r', 'p', 'f'])

/** Command ids as oclif spells them ("compose:service:up") → the set of ids and of all their prefixes (topics). */
export function knownPrefixes(commandIds: Iterable<string>): Set<string> {
  const out = new Set<string>()
  for (const id of commandIds) {
    const parts = id.split(':')
    for (let i = 1; i <= parts.length; i++) out.add(parts.slice(0, i).join(':'))
  }
  return out
}

function takesValue(arg: string): boolean {
  if (arg.startsWith('--')) {
    if (arg.includes('=')) return false
    return VALUE_FLAGS.has(arg.slice(2))
  }
  // "-p" takes the next word; "-pvalue" / "-p=value" carry their own
  return arg.length === 2 && VALUE_CHARS.has(arg[1])
}

const isFlag = (arg: string) => arg.startsWith('-') && arg !== '-' && arg !== '--'

/**
 * Reorder `args` (process.argv without node and script) so the command id comes first.
 * `prefixes` = knownPrefixes(all command ids and aliases).
 */
export function reorderArgv(args: readonly string[], prefixes: ReadonlySet<string>): string[] {
  const id: string[] = []
  const moved: string[] = []
  let pending: string[] = []
  let i = 0
  while (i < args.length) {
    const arg = args[i]
    if (arg === '--') break
    if (isFlag(arg)) {
      pending.push(arg)
      if (takesValue(arg) && i + 1 < args.length) {
        pending.push(args[i + 1])
        i += 2
      } else {
        i += 1
      }
      continue
    }
    const candidate = [...id, arg].join(':')
    if (!prefixes.has(candidate)) break
    id.push(arg)
    moved.push(...pending)
    pending = []
    i += 1
  }
  if (moved.length === 0) return [...args]
  return [...id, ...moved, ...pending, ...args.slice(i)]
}
