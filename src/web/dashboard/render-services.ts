/** The services: deployments as bars against the deployment's bounds, unplaced-task reasons, latest events. */
import type {DeploymentView, ServiceView} from '../../lib/dashboard/view.js'
import {h, styled} from './dom.js'
import {clockTime, colorClass, percent, shortId} from './format.js'

function marker(kind: string, at: number, scale: number, label: string) {
  return styled(h('span', {class: `marker marker-${kind}`, 'data-key': `m-${kind}`, title: label}), {
    left: percent(at, scale),
  })
}

/** Running and pending tasks of every deployment on one scale (0 … the largest of max, desired and what exists). */
function deploymentBar(s: ServiceView) {
  const total = s.deployments.reduce((n, d) => n + d.running + d.pending, 0)
  const scale = Math.max(s.maxTasks, s.desired, total, 1)
  const segments = s.deployments.flatMap((d) => {
    const old = d.status === 'PRIMARY' ? '' : ' old'
    const title = `${d.status} ${d.taskDefinition}: ${d.running} running, ${d.pending} pending of ${d.desired}`
    return [
      styled(h('span', {class: `seg ${colorClass(s.color)} running${old}`, 'data-key': `${d.id}-r`, title}), {
        width: percent(d.running, scale),
      }),
      styled(h('span', {class: `seg ${colorClass(s.color)} starting${old}`, 'data-key': `${d.id}-p`, title}), {
        width: percent(d.pending, scale),
      }),
    ]
  })
  return h(
    'div',
    {class: 'deploy-bar-wrap'},
    h(
      'div',
      {
        class: 'bar deploy-bar',
        role: 'img',
        'aria-label': `${s.running} running, ${s.pending} pending, ${s.desired} desired`,
      },
      segments,
      marker('min', s.minHealthy, scale, `minimum healthy: ${s.minHealthy} (${s.minHealthyPercent}%)`),
      marker('desired', s.desired, scale, `desired: ${s.desired}`),
      marker('max', s.maxTasks, scale, `maximum: ${s.maxTasks} (${s.maximumPercent}%)`),
    ),
    h(
      'div',
      {class: 'bar-scale'},
      h('span', {class: 'key key-desired'}, `desired ${s.desired}`),
      h('span', {class: 'key key-bound'}, `min healthy ${s.minHealthy} (${s.minHealthyPercent}%)`),
      h('span', {class: 'key key-bound'}, `max ${s.maxTasks} (${s.maximumPercent}%)`),
      s.deployments.length > 1 ? h('span', {class: 'key key-new'}, 'new (PRIMARY)') : null,
      s.deployments.length > 1 ? h('span', {class: 'key key-old'}, 'old (ACTIVE)') : null,
      h('span', {class: 'key-scale'}, `scale 0–${scale}`),
    ),
  )
}

function deploymentRow(d: DeploymentView) {
  const state = d.rolloutState || '—'
  return h(
    'tr',
    {'data-key': d.id, 'data-deployment': d.status, title: d.rolloutStateReason || d.id},
    h('td', {}, h('span', {class: `badge badge-${d.status.toLowerCase()}`}, d.status)),
    h('td', {class: 'mono'}, d.taskDefinition),
    h('td', {class: 'num'}, `${d.running}/${d.desired}`),
    h('td', {class: 'num'}, d.pending ? `+${d.pending}` : ''),
    h(
      'td',
      {},
      h('span', {class: `rollout rollout-${state.toLowerCase()}`}, state),
      d.failed ? ` · ${d.failed} failed` : '',
    ),
  )
}

function serviceCard(s: ServiceView) {
  return h(
    'article',
    {
      class: `service${s.unplaced ? ' has-unplaced' : ''}`,
      'data-key': s.name,
      'data-service': s.name,
      'data-running': s.running,
      'data-pending': s.pending,
      'data-desired': s.desired,
      'data-deployments': s.deployments.length,
    },
    h(
      'header',
      {},
      h('span', {class: `swatch ${colorClass(s.color)}`}),
      h('strong', {}, s.name),
      s.status === 'ACTIVE' ? null : h('span', {class: 'badge badge-draining'}, s.status),
      h('span', {class: 'service-meta'}, s.strategy ? `${s.launchType} · ${s.strategy}` : s.launchType),
    ),
    h('p', {class: 'service-counts'}, `${s.running} running · ${s.pending} pending · ${s.desired} desired`),
    deploymentBar(s),
    h(
      'table',
      {class: 'deployments'},
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ['deployment', 'task definition', 'running', 'pending', 'rollout'].map((t) => h('th', {}, t)),
        ),
      ),
      h('tbody', {}, s.deployments.map(deploymentRow)),
    ),
    s.unplaced ? h('p', {class: 'unplaced', role: 'alert'}, h('strong', {}, 'Cannot place tasks: '), s.unplaced) : null,
    h(
      'ol',
      {class: 'events'},
      s.events.map((e, i) =>
        h(
          'li',
          {'data-key': `${e.at}-${i}-${shortId(e.message)}`, title: e.message},
          h('time', {datetime: e.at}, clockTime(e.at)),
          ' ',
          e.message,
        ),
      ),
    ),
    h(
      'footer',
      {},
      h('code', {class: 'cmd', title: 'Click to copy: scale by one (run in the project folder)'}, s.scaleCommand),
    ),
  )
}

export function renderServices(services: ServiceView[]) {
  if (services.length === 0) return h('p', {class: 'empty'}, 'No services.')
  return h('div', {class: 'services'}, services.map(serviceCard))
}
