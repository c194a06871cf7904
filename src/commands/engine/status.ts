import {EcsxCommand} from '../../lib/base-command.js'
import type {EngineStatus} from '../../lib/workflows/engine-status.js'

export default class EngineStatusCommand extends EcsxCommand<EngineStatus> {
  static override summary = 'Show the local cluster: container instances, their free resources and tasks per zone.'
  static override description = `Local backend only (exit 2 on aws). Lists the cluster's ACTIVE and DRAINING container \
instances with their id, EC2 id, instance type, availability zone, status, remaining/registered CPU and memory, and \
running tasks; then the running tasks per availability zone and the engine clock.
On a terminal the CPU and memory columns lead with a bar of the reserved share (plain numbers when piped).
With --json: {cluster, containerInstances (ECS ContainerInstance objects), tasksPerAvailabilityZone, engineTime}.`

  static override examples = [
    {description: 'The default cluster', command: '<%= config.bin %> engine status'},
    {
      description: 'A configured cluster, as JSON',
      command: '<%= config.bin %> engine status --cluster-config ec2-tutorial --json',
    },
  ]

  async run(): Promise<EngineStatus> {
    const {flags} = await this.parse(EngineStatusCommand)
    const {settings, ui, backend} = await this.setup(flags)
    const [{requireEngine}, {engineStatus, instanceRows, instanceColumns}] = await Promise.all([
      import('../../lib/workflows/engine-controls.js'),
      import('../../lib/workflows/engine-status.js'),
    ])
    const ecs = await backend()
    const status = await engineStatus(ecs, requireEngine(ecs, 'engine status'), settings.cluster)
    const c = status.cluster
    ui.out(
      `Cluster ${c.clusterName} (${c.status}): ${c.registeredContainerInstancesCount ?? 0} container instances, ` +
        `${c.runningTasksCount ?? 0} running and ${c.pendingTasksCount ?? 0} pending tasks, ` +
        `${c.activeServicesCount ?? 0} active services`,
    )
    ui.out(`Engine time: ${status.engineTime}`)
    if (status.containerInstances.length > 0) {
      ui.out('')
      // utilisation bars on a terminal only; plain numbers in pipes, files and dumb terminals
      const bars = Boolean(process.stdout.isTTY) && process.env.TERM !== 'dumb'
      ui.table(instanceRows(status.containerInstances), instanceColumns(bars))
    }
    const zones = Object.entries(status.tasksPerAvailabilityZone)
    if (zones.length > 0) {
      ui.out('')
      ui.table(zones, [
        {header: 'AZ', get: ([az]) => az},
        {header: 'RunningTasks', get: ([, n]) => String(n)},
      ])
    }
    return status
  }
}
