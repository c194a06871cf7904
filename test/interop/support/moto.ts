/**
 * moto_server (https://github.com/getmoto/moto, an independent implementation of the AWS APIs) for the interop
 * suite: started on a free loopback port, stopped by its PID, every wait bounded. Plus the few things the suite does
 * that an ECS agent or AWS itself would do: register the Auto Scaling group's instances as container instances, hold
 * tasks in RUNNING (moto's state manager), switch IAM authentication on and off, and read resources back to check
 * that nothing leaked.
 *
 * moto_server must be on PATH (it is in this project's machines' Python). Missing, the suite fails — never skips —
 * with how to get it.
 */
import {type ChildProcess, execFileSync, spawn} from 'node:child_process'
import {request} from 'node:http'
import {createServer} from 'node:net'

const MOTO_MISSING =
  'moto_server is not on PATH. The interop suite runs ecsx against moto (an independent AWS implementation) and ' +
  "never skips: install it with `python3 -m pip install 'moto[server]==5.2.1'` (or `pipx install 'moto[server]==5.2.1'`), " +
  'make sure `moto_server --help` works in this shell, then run `npm run test:interop` again.'

export const ACCESS_KEY = 'AKIAIOSFODNN7EXAMPLE'
export const SECRET_KEY = 'wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY'
export const REGION = 'us-east-1'

export interface Moto {
  url: string
  pid: number
  /** stdout+stderr of the server (for failure messages). */
  log(): string
  stop(): Promise<void>
}

function motoServerPath(): string {
  try {
    return execFileSync('sh', ['-c', 'command -v moto_server'], {encoding: 'utf8'}).trim()
  } catch {
    throw new Error(MOTO_MISSING)
  }
}

/**
 * One HTTP exchange on its own connection (no keep-alive pool: nothing stays open when moto stops, and jest exits
 * right after the suite).
 */
function http(
  url: string,
  options: {method?: string; headers?: Record<string, string>; body?: string} = {},
): Promise<{status: number; text: string}> {
  return new Promise((resolve, reject) => {
    const req = request(url, {method: options.method ?? 'GET', headers: options.headers, agent: false}, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => resolve({status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8')}))
      res.on('error', reject)
    })
    req.setTimeout(30_000, () => req.destroy(new Error(`no answer from ${url} within 30 s`)))
    req.on('error', reject)
    req.end(options.body)
  })
}

const ok = (status: number) => status >= 200 && status < 300

async function freePort(): Promise<number> {
  const srv = createServer()
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve))
  const {port} = srv.address() as {port: number}
  await new Promise((resolve) => srv.close(resolve))
  return port
}

/** Start moto_server on a free port and wait (at most `readyMs`) until it answers. */
export async function startMoto(readyMs = 60_000): Promise<Moto> {
  const bin = motoServerPath()
  if (!bin) throw new Error(MOTO_MISSING)
  let output = ''
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort()
    const child: ChildProcess = spawn(bin, ['-H', '127.0.0.1', '-p', String(port)], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {...process.env, MOTO_ALLOW_NONEXISTENT_REGION: 'false'},
    })
    output = ''
    child.stdout?.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-20_000)))
    child.stderr?.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-20_000)))
    const url = `http://127.0.0.1:${port}`
    // 'close': the process exited and its stdio pipes are closed (nothing left open for jest)
    const exited = new Promise<void>((resolve) => child.once('close', () => resolve()))
    const started = Date.now()
    let ready = false
    while (!ready && Date.now() - started < readyMs && child.exitCode === null) {
      ready = await http(`${url}/moto-api/data.json`).then(
        (r) => ok(r.status),
        () => false,
      )
      if (!ready) await new Promise((resolve) => setTimeout(resolve, 200))
    }
    const moto: Moto = {
      url,
      pid: child.pid as number,
      log: () => output,
      async stop() {
        if (child.exitCode !== null || child.signalCode !== null) return
        child.kill('SIGTERM')
        let timer: NodeJS.Timeout | undefined
        const stopped = await Promise.race([
          exited.then(() => true),
          new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), 5_000))),
        ])
        clearTimeout(timer)
        if (!stopped) {
          child.kill('SIGKILL')
          await exited
        }
      },
    }
    if (ready) return moto
    await moto.stop()
    if (!/Address already in use/i.test(output)) break // only a lost port race is worth another try
  }
  throw new Error(`moto_server did not become ready within ${readyMs / 1000} s:\n${output}`)
}

/** Is a process with this PID still alive? */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

async function motoApi(moto: Moto, path: string, body: string, type = 'application/json'): Promise<string> {
  const res = await http(`${moto.url}/moto-api/${path}`, {method: 'POST', headers: {'content-type': type}, body})
  if (!ok(res.status)) throw new Error(`moto-api ${path}: HTTP ${res.status} ${res.text.slice(0, 300)}`)
  return res.text
}

/**
 * moto's ECS tasks start RUNNING and advance one state per DescribeTasks (RUNNING → DEACTIVATING → … → STOPPED):
 * after one poll a task would stop on its own. Hold them in RUNNING until StopTask, as ECS does for a long-running
 * container (moto's state manager: `manual` progression, advancing only after a huge number of describes).
 */
export async function holdTasksRunning(moto: Moto): Promise<void> {
  await motoApi(
    moto,
    'state-manager/set-transition',
    JSON.stringify({model_name: 'ecs::task', transition: {progression: 'manual', times: 1_000_000_000}}),
  )
}

/** IAM authentication: from now on every request must be signed by a key moto's IAM knows (0), or none (Infinity). */
export async function setAuth(moto: Moto, enforced: boolean): Promise<void> {
  await motoApi(moto, 'reset-auth', enforced ? '0' : 'inf', 'text/plain')
}

/** A signed-enough awsQuery request (auth disabled: moto reads only the key id and the region from it). */
export async function query(
  moto: Moto,
  service: 'ec2' | 'autoscaling' | 'cloudformation' | 'iam' | 'sts',
  params: Record<string, string>,
): Promise<string> {
  const version = {
    ec2: '2016-11-15',
    autoscaling: '2011-01-01',
    cloudformation: '2010-05-15',
    iam: '2010-05-08',
    sts: '2011-06-15',
  }[service]
  const res = await http(moto.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization:
        `AWS4-HMAC-SHA256 Credential=${ACCESS_KEY}/20260101/${REGION}/${service}/aws4_request, ` +
        'SignedHeaders=host, Signature=0',
    },
    body: new URLSearchParams({Version: version, ...params}).toString(),
  })
  if (!ok(res.status)) throw new Error(`${service} ${params.Action}: HTTP ${res.status} ${res.text.slice(0, 500)}`)
  return res.text
}

/** All values of <tag>…</tag> in an XML document. */
export function xmlValues(xml: string, tag: string): string[] {
  return [...xml.matchAll(new RegExp(`<${tag}>([^<]*)</${tag}>`, 'g'))].map((m) => m[1] as string)
}

/** The physical id of one of a stack's resources (moto may replace a resource on UpdateStack). */
export async function physicalId(moto: Moto, stack: string, logicalId: string): Promise<string> {
  const xml = await query(moto, 'cloudformation', {
    Action: 'DescribeStackResource',
    StackName: stack,
    LogicalResourceId: logicalId,
  })
  return xmlValues(xml, 'PhysicalResourceId')[0] as string
}

/** The instance ids of an Auto Scaling group, as DescribeAutoScalingGroups reports them. */
export async function asgInstances(moto: Moto, group: string): Promise<{ids: string[]; desired: number}> {
  const xml = await query(moto, 'autoscaling', {
    Action: 'DescribeAutoScalingGroups',
    'AutoScalingGroupNames.member.1': group,
  })
  return {ids: xmlValues(xml, 'InstanceId'), desired: Number(xmlValues(xml, 'DesiredCapacity')[0] ?? NaN)}
}

/** Plain JSON-protocol call (ECS, CloudWatch Logs, ECR) for the suite's own setup and checks. */
async function jsonCall(
  moto: Moto,
  target: string,
  service: string,
  body: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  const res = await http(moto.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': target,
      authorization:
        `AWS4-HMAC-SHA256 Credential=${ACCESS_KEY}/20260101/${REGION}/${service}/aws4_request, ` +
        'SignedHeaders=host, Signature=0',
    },
    body: JSON.stringify(body),
  })
  if (!ok(res.status)) throw new Error(`${target}: HTTP ${res.status} ${res.text.slice(0, 500)}`)
  return (res.text ? JSON.parse(res.text) : {}) as Record<string, unknown>
}

export const ecs = (moto: Moto, op: string, body: Record<string, unknown>) =>
  jsonCall(moto, `AmazonEC2ContainerServiceV20141113.${op}`, 'ecs', body)
export const logs = (moto: Moto, op: string, body: Record<string, unknown>) =>
  jsonCall(moto, `Logs_20140328.${op}`, 'logs', body)
export const ecr = (moto: Moto, op: string, body: Record<string, unknown>) =>
  jsonCall(moto, `AmazonEC2ContainerRegistry_V20150921.${op}`, 'ecr', body)
export const ssm = (moto: Moto, op: string, body: Record<string, unknown>) =>
  jsonCall(moto, `AmazonSSM.${op}`, 'ssm', body)

/**
 * What the ECS agent does when an instance boots with ECS_CLUSTER=<cluster>: register it. moto runs no agent, so
 * the suite registers each EC2 instance of the stack's Auto Scaling group itself.
 */
export async function registerContainerInstances(
  moto: Moto,
  cluster: string,
  instanceIds: string[],
): Promise<string[]> {
  const arns: string[] = []
  for (const instanceId of instanceIds) {
    const out = await ecs(moto, 'RegisterContainerInstance', {
      cluster,
      instanceIdentityDocument: JSON.stringify({instanceId, region: REGION}),
    })
    arns.push((out.containerInstance as {containerInstanceArn: string}).containerInstanceArn)
  }
  return arns
}
