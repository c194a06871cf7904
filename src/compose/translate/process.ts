/** What the container runs: image, entrypoint/command, and the plain process settings (user, hostname, dns, …). */
import {scalarString} from '../values.js'
import {describe, shellSplit} from '../units.js'
import type {ServiceScope} from './scope.js'

const IMAGE_RE = /^[A-Za-z0-9\-_:./#@]{1,255}$/

export function translateImage(s: ServiceScope): void {
  const image = s.string('image')
  const build = s.svc.keys.get('build')
  if (image === undefined || image === '') {
    if (build)
      s.fail(
        'build',
        'the service has build but no image: ECS cannot build images. ' +
          'Build and push the image to a registry, then set image: <repository>:<tag>',
        ['build'],
      )
    if (image === '') s.fail('image', 'image is empty (after variable substitution)')
    s.fail('image', 'the service has no image: every ECS container needs one', [])
  }
  if (build) s.warn('build', 'build is ignored: ECS runs the image given in image', ['build'])
  if (!IMAGE_RE.test(image)) {
    s.fail(
      'image',
      `invalid image ${JSON.stringify(image)}: ECS allows up to 255 letters, digits, "-", "_", ":", ".", "/", "#" and "@"`,
    )
  }
  s.def.image = image
}

export function translateCommands(s: ServiceScope): void {
  for (const [key, field] of [
    ['entrypoint', 'entryPoint'],
    ['command', 'command'],
  ] as const) {
    const v = s.raw(key)
    if (v === undefined || v === null) continue
    let words: string[]
    if (typeof v === 'string') words = s.unitAt(key, () => shellSplit(v))
    else if (Array.isArray(v)) {
      words = v.map((w, i) => {
        const str = scalarString(w)
        if (str === undefined) s.fail(key, `${key} list items must be strings, not ${describe(w)}`, [key, i])
        return str as string
      })
    } else s.fail(key, `${key} must be a string or a list of strings, not ${describe(v)}`)
    if (words.length > 0) s.def[field] = words
  }
}

export function translateWorkingDir(s: ServiceScope): void {
  const workingDirectory = s.string('working_dir')
  if (workingDirectory) s.def.workingDirectory = workingDirectory
}

/** hostname, user, dns, dns_search, security_opt, extra_hosts. */
export function translateSimpleStrings(s: ServiceScope): void {
  const hostname = s.string('hostname')
  if (hostname) {
    if (s.ctx.networkMode === 'awsvpc') s.fail('hostname', 'hostname is not supported in awsvpc network mode')
    s.def.hostname = hostname
  }
  const user = s.string('user')
  if (user) s.def.user = user
  for (const [key, field, fargate] of [
    ['dns', 'dnsServers', true],
    ['dns_search', 'dnsSearchDomains', true],
    ['security_opt', 'dockerSecurityOptions', true],
  ] as const) {
    const items = s.svc.lists.get(key) ?? []
    if (items.length === 0) continue
    if (fargate) s.notOnFargate(key, key, [], items[0].at)
    s.def[field] = items.map((item) => {
      const str = scalarString(item.v)
      if (str === undefined || str === '')
        s.fail(key, `${key} items must be strings, not ${describe(item.v)}`, [], item.at)
      if (key === 'dns_search' && !/^[a-zA-Z0-9-.]{0,253}[a-zA-Z0-9]$/.test(str as string))
        s.fail(key, `invalid DNS search domain ${JSON.stringify(str)}`, [], item.at)
      return str as string
    })
  }
  if (s.svc.extraHosts.length > 0) {
    s.notOnFargate('extra_hosts', 'extra_hosts', [], s.svc.extraHosts[0].at)
    if (s.ctx.networkMode === 'awsvpc')
      s.fail('extra_hosts', 'extra_hosts is not supported in awsvpc network mode', [], s.svc.extraHosts[0].at)
    s.def.extraHosts = s.svc.extraHosts.map((h) => ({hostname: h.v.host, ipAddress: h.v.ip}))
  }
}

export function translateBooleans(s: ServiceScope): void {
  const privileged = s.bool('privileged')
  if (privileged !== undefined) {
    if (privileged) s.notOnFargate('privileged', 'privileged')
    s.def.privileged = privileged
  }
  const ro = s.bool('read_only')
  if (ro !== undefined) s.def.readonlyRootFilesystem = ro
  const tty = s.bool('tty')
  if (tty !== undefined) s.def.pseudoTerminal = tty
  const stdin = s.bool('stdin_open')
  if (stdin !== undefined) s.def.interactive = stdin
}
