/** A compact horizontal bar for terminals: `█████▌░░░░` (eighth blocks), for utilisation at a glance. */

const EIGHTHS = ['', '▏', '▎', '▍', '▌', '▋', '▊', '▉']

/** `fraction` (clamped to 0…1) of `cells` character cells filled, the rest shaded. */
export function utilisationBar(fraction: number, cells = 10): string {
  const f = Number.isFinite(fraction) ? Math.min(1, Math.max(0, fraction)) : 0
  const eighths = Math.round(f * cells * 8)
  const full = Math.floor(eighths / 8)
  const part = EIGHTHS[eighths % 8]
  return '█'.repeat(full) + part + '░'.repeat(cells - full - (part ? 1 : 0))
}
