/**
 * The ECS shapes that commands return and render, as the AWS SDK defines them: commands take them from here and
 * never import the SDK themselves. Type-only.
 */
export type {ContainerInstance, RegisterTaskDefinitionCommandInput, Service, Task} from '@aws-sdk/client-ecs'
