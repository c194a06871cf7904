import Register from '../register.js'

export default class ComposeCreate extends Register {
  static override summary = 'Register the Compose project as an ECS task definition (ecs-cli `compose create`).'
  static override description = `ecs-cli's spelling of \`ecsx register\`: translates the compose file(s) and \
ecs-params.yml into one task definition (family = project name) and registers it, reusing the latest ACTIVE revision when it is identical.`

  static override examples = [
    {description: 'Register the project of the current directory', command: '<%= config.bin %> compose create'},
    {
      description: 'ecs-cli argument order: compose-level flags before the subcommand',
      command: '<%= config.bin %> compose --file docker-compose.yml --project-name shop create --launch-type FARGATE',
    },
    {
      description: 'Show the request without registering it',
      command: '<%= config.bin %> compose create --dry-run --json',
    },
  ]
}
