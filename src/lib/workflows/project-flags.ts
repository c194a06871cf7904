/**
 * Flags shared by the `compose …`, `compose service …` and `deploy` commands (ecs-cli's names and defaults).
 * Only @oclif/core's flag builders are imported here, so command files stay cheap to load.
 */
import {Flags} from '@oclif/core'

/** ecs-cli's compose-level flags (given before or after the subcommand). */
export const projectFlags = {
  'task-role-arn': Flags.string({
    description: "IAM role the task's containers assume (wins over ecs-params task_role_arn).",
  }),
  'registry-creds': Flags.string({
    description: 'Output file of `registry-creds up` with private registry credentials per container.',
  }),
}

export const launchTypeFlag = Flags.option({
  options: ['EC2', 'FARGATE'] as const,
  description:
    "Launch type of the tasks (also sets the task definition's requiresCompatibilities). [default: the cluster " +
    "configuration's default_launch_type]",
})()

export const createLogGroupsFlag = Flags.boolean({
  description:
    'Create the CloudWatch log groups of every awslogs container (aws backend; an existing group is only a ' +
    'warning). On the local backend: nothing to create, noted on stderr.',
})

export const tagsFlag = Flags.string({
  description: 'Tags for the task definition and the tasks/service: key1=value1,key2=value2.',
})

export const disableManagedTagsFlag = Flags.boolean({
  description: 'Do not add Amazon ECS managed tags (aws:ecs:clusterName, …) to the tasks.',
})

export function timeoutFlag(what: string) {
  return Flags.string({
    description: `Minutes to wait for ${what} (decimals allowed); 0 = return without waiting. [default: 5]`,
  })
}

/** Flags of the commands that run standalone tasks (compose start/up/scale/run). */
export const taskFlags = {
  ...projectFlags,
  'launch-type': launchTypeFlag,
  'create-log-groups': createLogGroupsFlag,
  tags: tagsFlag,
  'disable-ecs-managed-tags': disableManagedTagsFlag,
  timeout: timeoutFlag('the tasks to be RUNNING'),
}

/** Deployment percentages (ecs-cli defaults 200/100; DAEMON 100/0). */
export const deploymentFlags = {
  'deployment-max-percent': Flags.integer({
    min: 0,
    description:
      'Upper limit on running + pending tasks during a deployment, in % of the desired count. [default: 200; DAEMON: 100]',
  }),
  'deployment-min-healthy-percent': Flags.integer({
    min: 0,
    description:
      'Lower limit on healthy running tasks during a deployment, in % of the desired count. [default: 100; DAEMON: 0]',
  }),
}

/** Load balancer flags (carried into the service's `loadBalancers`; immutable after creation). */
export const loadBalancerFlags = {
  'target-group-arn': Flags.string({
    description: 'ARN of an ALB/NLB target group to attach (needs --container-name and --container-port).',
    helpGroup: 'LOAD BALANCER',
  }),
  'load-balancer-name': Flags.string({
    description: 'Name of a Classic Load Balancer to attach (needs --container-name and --container-port).',
    helpGroup: 'LOAD BALANCER',
  }),
  'container-name': Flags.string({
    description: 'Container the load balancer sends traffic to.',
    helpGroup: 'LOAD BALANCER',
  }),
  'container-port': Flags.integer({
    min: 1,
    max: 65535,
    description: 'Container port the load balancer sends traffic to.',
    helpGroup: 'LOAD BALANCER',
  }),
  'target-groups': Flags.string({
    multiple: true,
    description: 'More target groups: targetGroupArn=<arn>,containerName=<name>,containerPort=<port> (repeatable).',
    helpGroup: 'LOAD BALANCER',
  }),
  role: Flags.string({
    description: 'IAM role ECS uses to call the load balancer (only with a load balancer, not with awsvpc).',
    helpGroup: 'LOAD BALANCER',
  }),
  'health-check-grace-period': Flags.integer({
    min: 0,
    max: 2_147_483_647,
    description: 'Seconds the scheduler ignores failing health checks after a task starts.',
  }),
}

/** Service discovery flags (local backend: recorded as the service's serviceRegistries; aws: not supported). */
export const serviceDiscoveryFlags = {
  'enable-service-discovery': Flags.boolean({
    description:
      "Register the service's tasks in a Cloud Map namespace (local backend: recorded on the service; not supported on aws).",
    helpGroup: 'SERVICE DISCOVERY',
  }),
  vpc: Flags.string({
    description: 'VPC of the private DNS namespace (with --private-dns-namespace).',
    helpGroup: 'SERVICE DISCOVERY',
  }),
  'private-dns-namespace': Flags.string({
    description: 'Name of the private DNS namespace.',
    helpGroup: 'SERVICE DISCOVERY',
  }),
  'private-dns-namespace-id': Flags.string({
    description: 'ID of an existing private DNS namespace.',
    helpGroup: 'SERVICE DISCOVERY',
  }),
  'public-dns-namespace': Flags.string({
    description: 'Name of the public DNS namespace.',
    helpGroup: 'SERVICE DISCOVERY',
  }),
  'public-dns-namespace-id': Flags.string({
    description: 'ID of an existing public DNS namespace.',
    helpGroup: 'SERVICE DISCOVERY',
  }),
  'sd-container-name': Flags.string({
    description: 'Container for SRV records (required for bridge/host network modes).',
    helpGroup: 'SERVICE DISCOVERY',
  }),
  'sd-container-port': Flags.integer({
    min: 1,
    max: 65535,
    description: 'Container port for SRV records.',
    helpGroup: 'SERVICE DISCOVERY',
  }),
  'dns-ttl': Flags.integer({
    min: 0,
    description: 'TTL of the DNS records, seconds. [default: 60]',
    helpGroup: 'SERVICE DISCOVERY',
  }),
  'dns-type': Flags.option({
    options: ['A', 'SRV'] as const,
    description: 'DNS record type. [default: A for awsvpc, SRV otherwise]',
    helpGroup: 'SERVICE DISCOVERY',
  })(),
  'healthcheck-custom-config-failure-threshold': Flags.integer({
    min: 1,
    description: 'Number of 30-second intervals before a custom health status change applies. [default: 1]',
    helpGroup: 'SERVICE DISCOVERY',
  }),
}

/** Service discovery flags that only shape the Cloud Map service on AWS (noted as ignored on the local backend). */
export const serviceDiscoveryAwsOnlyFlags = ['dns-ttl', 'dns-type', 'healthcheck-custom-config-failure-threshold']

/** Every flag of `compose service create`/`up`. */
export const serviceCreateFlags = {
  ...projectFlags,
  ...deploymentFlags,
  ...loadBalancerFlags,
  ...serviceDiscoveryFlags,
  'launch-type': launchTypeFlag,
  'create-log-groups': createLogGroupsFlag,
  'scheduling-strategy': Flags.option({
    options: ['REPLICA', 'DAEMON'] as const,
    description:
      'REPLICA keeps the desired count; DAEMON runs one task on each instance (not on Fargate). [default: REPLICA]',
  })(),
  tags: tagsFlag,
  'disable-ecs-managed-tags': disableManagedTagsFlag,
}

export const forceDeploymentFlag = Flags.boolean({
  aliases: ['force-new-deployment'],
  description: 'Start a new deployment even when nothing changed (re-pulls images with mutable tags).',
})
