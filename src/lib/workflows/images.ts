/** `ecsx images`: ecs-cli's table of registry images (REPOSITORY NAME, TAG, IMAGE DIGEST, PUSHED AT, SIZE). */
import {imageColumns, imageRows} from '../aws/ecr.js'
import type {ImageDetail} from '../infra/types.js'
import type {Ui} from '../ui/types.js'

/** One row per tag (untagged images as <none>) on stdout, or "No images found." on stderr. */
export function renderImageTable(ui: Ui, details: ImageDetail[], now = Date.now()): void {
  const rows = imageRows(details)
  if (rows.length === 0) ui.info('No images found.')
  else ui.table(rows, imageColumns(now))
}
