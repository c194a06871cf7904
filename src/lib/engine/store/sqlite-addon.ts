/**
 * Where better-sqlite3's compiled addon is, asked of Node's resolver once. Passed as `nativeBinding`, it spares the
 * package's own search (the `bindings` helper walks the call stack and tries a dozen paths), which was a noticeable
 * part of every command's start. Undefined (no build in build/Release) leaves the search to the package.
 */
import {createRequire} from 'node:module'

let addonPath: string | null | undefined = null

export function nativeBinding(): string | undefined {
  if (addonPath === null) {
    try {
      addonPath = createRequire(import.meta.url).resolve('better-sqlite3/build/Release/better_sqlite3.node')
    } catch {
      addonPath = undefined
    }
  }
  return addonPath
}

/** The hint for a database that cannot be opened: the addon's absence (install scripts skipped) has its own. */
export function openFailureHint(reason: string): string {
  if (nativeBinding() === undefined && /bindings file|better_sqlite3\.node/.test(reason))
    return (
      "better-sqlite3's native addon was not built (its install script did not run): reinstall ecsx with " +
      '--allow-scripts=better-sqlite3, or run `npm rebuild better-sqlite3` where it is installed.'
    )
  return 'Check that ECSX_HOME points to a writable directory.'
}
