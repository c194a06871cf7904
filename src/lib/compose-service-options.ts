/** Command flags → the `ServiceOptions` of the service workflows. */
import type {ServiceOptions} from './compose-service.js'
import {loadBalancersFromFlags} from './compose-service.js'

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
