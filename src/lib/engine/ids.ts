/**
 * Identifiers drawn from the engine's seeded random (deterministic for a given store history).
 */
import type {EngineContext} from './context.js'

function hex32(random: () => number): string {
  return Math.floor(random() * 0x1_0000_0000)
    .toString(16)
    .padStart(8, '0')
}

/** A 32-character lowercase hex resource id (task, container instance). */
export function newId(ctx: Pick<EngineContext, 'random'>): string {
  return hex32(ctx.random) + hex32(ctx.random) + hex32(ctx.random) + hex32(ctx.random)
}

/** An EC2 instance id `i-` + 17 hex characters. */
export function newEc2InstanceId(ctx: Pick<EngineContext, 'random'>): string {
  return 'i-' + newId(ctx).slice(0, 17)
}

/** A deployment id `ecs-svc/` + 19 digits (first digit non-zero). */
export function newDeploymentId(ctx: Pick<EngineContext, 'random'>): string {
  let digits = String(1 + Math.floor(ctx.random() * 9))
  while (digits.length < 19) digits += String(Math.floor(ctx.random() * 10))
  return `ecs-svc/${digits}`
}

/**
 * A small, fast seeded PRNG (mulberry32). `seed` is any 32-bit integer.
 */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 0x1_0000_0000
  }
}

/** Mix two integers into a 32-bit seed. */
export function mixSeed(a: number, b: number): number {
  let h = (a ^ 0x9e3779b9) >>> 0
  h = Math.imul(h ^ (b >>> 0), 0x85ebca6b) >>> 0
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35) >>> 0
  h ^= h >>> 16
  return h >>> 0
}

/** splitmix32: a well-mixed 32-bit sequence from one seed (used to initialise larger generator states). */
function splitmix32(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x9e3779b9) >>> 0
    let z = state
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0
    return (z ^ (z >>> 16)) >>> 0
  }
}

/**
 * The random source of one engine call: sfc32 (128-bit state) initialised from (`seed`, `stream`). Each call uses
 * its own stream number, so the streams of different calls do not overlap in practice (a 32-bit-state generator
 * would make two calls' id sequences collide after some 10^5 calls).
 */
export function streamRandom(seed: number, stream: number): () => number {
  const init = splitmix32(mixSeed(seed, stream) ^ Math.imul(stream >>> 0, 0x27d4eb2d))
  let a = init()
  let b = init() ^ (stream >>> 0)
  let c = init()
  let d = init() | 1
  const next = (): number => {
    const t = (((a + b) >>> 0) + d) >>> 0
    d = (d + 1) >>> 0
    a = b ^ (b >>> 9)
    b = (c + (c << 3)) >>> 0
    c = ((c << 21) | (c >>> 11)) >>> 0
    c = (c + t) >>> 0
    return t
  }
  for (let i = 0; i < 12; i++) next()
  return () => next() / 0x1_0000_0000
}
