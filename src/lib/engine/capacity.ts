/** placeholder replaced below */
export const EPHEMERAL_PORT_RANGE = {min: 32768, max: 61000} as const
