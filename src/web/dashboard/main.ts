/**
 * The dashboard page: subscribes to the server's event stream (`api/events`, one DashboardView per change) and draws
 * it. Read-only: the only actions are CLI commands shown for copying. Talks to its own origin only.
 */
import type {ClusterView, DashboardView} from '../../lib/dashboard/view.js'
import {h, patch} from './dom.js'
import {engineTimeText, plural} from './format.js'
import {renderLegend, renderZones} from './render-map.js'
import {renderServices} from './render-services.js'

type Connection = 'connecting' | 'live' | 'reconnecting'

let view: DashboardView | undefined
let connection: Connection = 'connecting'
let updates = 0

function clusterStats(c: ClusterView): string {
  const instances = plural(c.instanceCount, 'container instance')
  return `${instances} · ${c.runningTasks} running · ${c.pendingTasks} pending · ${plural(c.services.length, 'service')}`
}

function clusterSection(c: ClusterView) {
  return h(
    'section',
    {class: 'cluster', 'data-key': c.name, 'data-cluster': c.name},
    h(
      'header',
      {class: 'cluster-head'},
      h('h2', {}, c.name),
      h('span', {class: 'cluster-stats'}, clusterStats(c)),
      renderLegend(c),
    ),
    renderZones(c),
    h('h3', {class: 'services-title'}, 'Services'),
    renderServices(c.services),
  )
}

function app() {
  const v = view
  return h(
    'div',
    {id: 'app', 'data-connection': connection, 'data-updates': updates},
    h(
      'header',
      {class: 'top'},
      h('h1', {}, 'ecsx ', h('span', {}, 'cluster map')),
      h('span', {class: 'region'}, v?.region ?? ''),
      h(
        'span',
        {class: 'engine-time', title: 'The engine clock'},
        'engine time ',
        h('strong', {}, engineTimeText(v?.engineTime)),
      ),
      h('span', {class: `connection connection-${connection}`}, connection),
      v?.advanceCommand
        ? h('code', {class: 'cmd', title: 'Click to copy: move the engine clock'}, v.advanceCommand)
        : null,
    ),
    v?.error ? h('p', {class: 'error', role: 'alert'}, v.error) : null,
    !v
      ? h('p', {class: 'empty'}, 'Waiting for the engine…')
      : v.clusters.length === 0
        ? h('p', {class: 'empty'}, 'No clusters yet. Create one with `ecsx up --size 3`.')
        : v.clusters.map(clusterSection),
  )
}

function render(): void {
  const root = document.getElementById('app')
  if (root) patch(root, app())
}

function connect(): void {
  const events = new EventSource('api/events')
  events.onopen = () => {
    connection = 'live'
    render()
  }
  events.onmessage = (e: MessageEvent<string>) => {
    view = JSON.parse(e.data) as DashboardView
    connection = 'live'
    updates++
    render()
  }
  events.onerror = () => {
    connection = 'reconnecting' // EventSource retries on its own (the server asks for 1 s)
    render()
  }
}

/** Click a command to copy it (the clipboard works on http://127.0.0.1, a secure context). */
document.addEventListener('click', (e) => {
  const target = e.target instanceof Element ? e.target.closest('code.cmd') : null
  if (!target || !navigator.clipboard) return
  void navigator.clipboard.writeText(target.textContent ?? '').then(() => {
    target.classList.add('copied')
    setTimeout(() => target.classList.remove('copied'), 900)
  })
})

render()
connect()
