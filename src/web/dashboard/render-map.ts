/** The cluster map: availability zones side by side, container instances in them, tasks on the instances. */
import type {ClusterView, InstanceView, ResourceUse, TaskView, ZoneView} from '../../lib/dashboard/view.js'
import {h, styled} from './dom.js'
import {colorClass, percent, phaseOf, plural, shortId} from './format.js'

const HEALTH_MARK: Record<string, string> = {HEALTHY: '✓', UNHEALTHY: '✗'}

function taskTitle(t: TaskView): string {
  return [
    `task ${t.id}`,
    `${t.service ? `service ${t.service}` : t.group} · ${t.taskDefinition}`,
    `${t.lastStatus} (desired ${t.desiredStatus}) · health ${t.health}`,
    `reserves ${t.cpu} CPU units, ${t.memory} MiB`,
  ].join('\n')
}

function taskClasses(t: TaskView, base: string): string {
  return `${base} ${colorClass(t.color)} ${phaseOf(t.lastStatus, t.desiredStatus)} health-${t.health.toLowerCase()}`
}

/** A resource bar: one segment per task, sized by its reservation; the rest is free. */
function resourceBar(label: string, use: ResourceUse, tasks: TaskView[], key: 'cpu' | 'memory', unit: string) {
  const segments = tasks
    .filter((t) => t[key] > 0)
    .map((t) =>
      styled(h('span', {class: taskClasses(t, 'seg'), 'data-key': t.id, title: taskTitle(t)}), {
        width: percent(t[key], use.registered),
      }),
    )
  return h(
    'div',
    {class: 'resource', 'data-resource': key},
    h('span', {class: 'resource-label'}, label),
    h(
      'span',
      {class: 'bar', role: 'img', 'aria-label': `${label} ${use.used} of ${use.registered} ${unit} reserved`},
      segments,
    ),
    h('span', {class: 'resource-num'}, `${use.used}/${use.registered}`, h('small', {}, ` ${unit}`)),
  )
}

function taskChip(t: TaskView) {
  const mark = HEALTH_MARK[t.health]
  return h(
    'span',
    {
      class: taskClasses(t, 'task'),
      'data-key': t.id,
      'data-task-id': t.id,
      'data-service': t.service,
      'data-status': t.lastStatus,
      title: taskTitle(t),
    },
    h('span', {class: 'swatch'}),
    t.service ?? t.group.replace(/^family:/, ''),
    h('span', {class: 'task-state'}, t.lastStatus === 'RUNNING' && t.desiredStatus === 'RUNNING' ? '' : t.lastStatus),
    mark ? h('span', {class: 'task-health', title: `health ${t.health}`}, mark) : null,
  )
}

function instanceCard(ci: InstanceView) {
  const agentDown = !ci.agentConnected && ci.status !== 'INACTIVE'
  const counts = ci.tasks.reduce((n, t) => n + (phaseOf(t.lastStatus, t.desiredStatus) === 'stopping' ? 0 : 1), 0)
  return h(
    'article',
    {
      class: `instance status-${ci.status.toLowerCase()}${agentDown ? ' agent-down' : ''}`,
      'data-key': ci.id,
      'data-instance-id': ci.id,
      'data-ec2': ci.ec2InstanceId,
      'data-status': ci.status,
      'data-task-count': counts,
    },
    h(
      'header',
      {},
      h('strong', {class: 'instance-name', title: `container instance ${ci.id}`}, ci.ec2InstanceId || shortId(ci.id)),
      h('span', {class: 'instance-type'}, ci.instanceType),
      h(
        'span',
        {class: 'badges'},
        agentDown ? h('span', {class: 'badge badge-down'}, 'agent disconnected') : null,
        h('span', {class: `badge badge-${ci.status.toLowerCase()}`}, ci.status),
      ),
    ),
    resourceBar('CPU', ci.cpu, ci.tasks, 'cpu', 'units'),
    resourceBar('MEM', ci.memory, ci.tasks, 'memory', 'MiB'),
    h(
      'div',
      {class: 'tasks'},
      ci.tasks.length
        ? ci.tasks.map(taskChip)
        : h('span', {class: 'empty'}, ci.status === 'INACTIVE' ? 'terminated' : 'no tasks'),
    ),
    h(
      'footer',
      {},
      h('span', {class: 'task-count'}, plural(counts, 'task')),
      ci.pendingTasks ? h('span', {class: 'pending-count'}, ` (${ci.pendingTasks} pending)`) : null,
      ci.killCommand
        ? h('code', {class: 'cmd', title: 'Click to copy: terminate this instance'}, ci.killCommand)
        : null,
    ),
  )
}

function fargateLane(tasks: TaskView[]) {
  if (tasks.length === 0) return null
  return h(
    'section',
    {class: 'lane', 'data-key': 'fargate'},
    h('h4', {}, tasks.every((t) => t.launchType === 'FARGATE') ? 'Fargate' : 'Fargate and tasks without an instance'),
    h(
      'div',
      {class: 'tasks'},
      tasks.map((t) =>
        h('span', {class: 'lane-task', 'data-key': t.id}, taskChip(t), h('small', {}, ` ${t.cpu}/${t.memory}`)),
      ),
    ),
  )
}

function zoneColumn(z: ZoneView) {
  const gone = z.instances.filter((i) => i.status === 'INACTIVE').length
  const count = `${plural(z.instances.length - gone, 'instance')}${gone ? ` · ${gone} terminated` : ''}`
  return h(
    'section',
    {class: 'zone', 'data-key': z.name, 'data-zone': z.name},
    h('h3', {}, z.name, h('small', {}, ` ${count}`)),
    z.instances.map(instanceCard),
    fargateLane(z.fargate),
  )
}

export function renderLegend(c: ClusterView) {
  return h(
    'ul',
    {class: 'legend'},
    c.legend.map((l) => h('li', {'data-key': l.label}, h('span', {class: `swatch ${colorClass(l.color)}`}), l.label)),
    h('li', {class: 'legend-states'}, h('span', {class: 'swatch starting'}), 'pending'),
    h('li', {class: 'legend-states'}, h('span', {class: 'swatch stopping'}), 'stopping'),
  )
}

export function renderZones(c: ClusterView) {
  if (c.zones.length === 0) return h('p', {class: 'empty'}, 'No container instances. Add some with `ecsx up --size 2`.')
  return h('div', {class: 'zones'}, c.zones.map(zoneColumn))
}
