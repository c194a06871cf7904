import {EcsxCommand} from '../../lib/base-command.js'
import type {Task} from '../../lib/ecs/shapes.js'
import {projectFlags, timeoutFlag} from '../../lib/workflows/project-flags.js'

export default class ComposeStop extends EcsxCommand<Task[]> {
  static override aliases = ['compose:down']
  static override summary = 'Stop every running task of the project (ecs-cli `compose stop|down`).'
  static override description = `Stops the project's tasks (group "task:<project>", or startedBy "<project>" from \
older ecs-cli runs) and waits until they are STOPPED (--timeout minutes, 0 = do not wait). Same as \`compose down\`. \
With --json, stdout holds the stopped ECS Task objects.`

  static override examples = [
    {
      description: 'The EC2 tutorial: free the cluster before creating the service',
      command: '<%= config.bin %> compose down --cluster-config ec2-tutorial',
    },
    {
      description: 'Stop a named project without waiting',
      command: '<%= config.bin %> compose --project-name hello-world stop --timeout 0',
    },
  ]

  static override flags = {...projectFlags, timeout: timeoutFlag('the tasks to be STOPPED')}

  async run(): Promise<Task[]> {
    const {flags} = await this.parse(ComposeStop)
    const ctx = await this.setup(flags)
    const {openTaskProject} = await import('../../lib/workflows/open-project.js')
    const {composeStop} = await import('../../lib/workflows/project-tasks.js')
    const project = await openTaskProject(ctx, flags)
    const stopped = await composeStop(project)
    if (stopped.length > 0)
      ctx.ui.info(`Stopped ${stopped.length} task(s) of project ${project.translation.projectName}`)
    return stopped
  }
}
