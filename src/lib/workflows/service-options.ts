/** Command flags → the `ServiceOptions` of the service workflows. */
import type {LoadBalancer} from '@aws-sdk/client-ecs'

import type {ServiceOptions} from './project-service.js'
import {InputError} from '../errors.js'

export interface ServiceFlagValues {
  'deployment-max-percent'?: number
  'deployment-min-healthy-percent'?: number
  'scheduling-strategy'?: 'REPLICA' | 'DAEMON'
  'health-check-grace-period'?: number
  'force-deployment'?: boolean
  'disable-ecs-managed-tags'?: boolean
  'target-group-arn'?: string
  'load-balancer-name'?: string
  'container-name'?: string
  'container-port'?: number
  'target-groups'?: string[]
  role?: string
  'enable-service-discovery'?: boolean
  vpc?: string
  'private-dns-namespace'?: string
  'private-dns-namespace-id'?: string
  'public-dns-namespace'?: string
  'public-dns-namespace-id'?: string
  'sd-container-name'?: string
  'sd-container-port'?: number
  'dns-ttl'?: number
  'dns-type'?: 'A' | 'SRV'
  'healthcheck-custom-config-failure-threshold'?: number
}

export function serviceOptionsFromFlags(f: ServiceFlagValues): ServiceOptions {
  return {
    maxPercent: f['deployment-max-percent'],
    minHealthyPercent: f['deployment-min-healthy-percent'],
    schedulingStrategy: f['scheduling-strategy'],
    healthCheckGracePeriod: f['health-check-grace-period'],
    forceDeployment: f['force-deployment'],
    disableEcsManagedTags: f['disable-ecs-managed-tags'],
    loadBalancers: loadBalancersFromFlags(f),
    role: f.role,
    serviceDiscovery: f['enable-service-discovery']
      ? {
          enable: true,
          vpc: f.vpc,
          privateDnsNamespace: f['private-dns-namespace'],
          privateDnsNamespaceId: f['private-dns-namespace-id'],
          publicDnsNamespace: f['public-dns-namespace'],
          publicDnsNamespaceId: f['public-dns-namespace-id'],
          containerName: f['sd-container-name'],
          containerPort: f['sd-container-port'],
          dnsTtl: f['dns-ttl'],
          dnsType: f['dns-type'],
          failureThreshold: f['healthcheck-custom-config-failure-threshold'],
        }
      : undefined,
  }
}

/** `--target-groups targetGroupArn=…,containerName=…,containerPort=…` (repeatable) and the single-LB flags → loadBalancers. */
export function loadBalancersFromFlags(flags: {
  'target-group-arn'?: string
  'load-balancer-name'?: string
  'container-name'?: string
  'container-port'?: number
  'target-groups'?: string[]
}): LoadBalancer[] | undefined {
  const lbs: LoadBalancer[] = []
  if (flags['target-group-arn'] || flags['load-balancer-name']) {
    if (flags['target-group-arn'] && flags['load-balancer-name'])
      throw new InputError('Give either --target-group-arn or --load-balancer-name, not both.')
    if (!flags['container-name'] || flags['container-port'] === undefined) {
      throw new InputError(
        `${flags['target-group-arn'] ? '--target-group-arn' : '--load-balancer-name'} needs --container-name and ` +
          '--container-port (the container and port the load balancer sends traffic to).',
      )
    }
    lbs.push({
      targetGroupArn: flags['target-group-arn'],
      loadBalancerName: flags['load-balancer-name'],
      containerName: flags['container-name'],
      containerPort: flags['container-port'],
    })
  } else if (flags['container-name'] || flags['container-port'] !== undefined) {
    if ((flags['target-groups'] ?? []).length === 0)
      throw new InputError('--container-name/--container-port need --target-group-arn or --load-balancer-name.')
  }
  for (const spec of flags['target-groups'] ?? []) {
    const fields = new Map<string, string>()
    for (const part of spec.split(',')) {
      const eq = part.indexOf('=')
      if (eq <= 0)
        throw new InputError(
          `--target-groups ${spec}: expected targetGroupArn=<arn>,containerName=<name>,containerPort=<port>.`,
        )
      fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim())
    }
    const port = Number(fields.get('containerPort'))
    if (!fields.get('targetGroupArn') || !fields.get('containerName') || !Number.isInteger(port) || port <= 0) {
      throw new InputError(
        `--target-groups ${spec}: targetGroupArn, containerName and a numeric containerPort are all required.`,
      )
    }
    lbs.push({
      targetGroupArn: fields.get('targetGroupArn'),
      containerName: fields.get('containerName'),
      containerPort: port,
    })
  }
  return lbs.length > 0 ? lbs : undefined
}
