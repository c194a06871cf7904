// ESLint plugin `ecsx` with one rule, `rooms`: the room boundaries of scripts/rooms.mjs, checked on every import
// form (import, import type, export … from, import(), typeof import()) with the same matcher that
// scripts/import-graph.mjs uses, so the editor and CI agree.
import path from 'node:path'
import {fileURLToPath} from 'node:url'

import {ROOMS, checkImport, resolveSpecifier} from './rooms.mjs'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')

const rooms = {
  meta: {
    type: 'problem',
    docs: {description: 'Imports must respect the room boundaries of scripts/rooms.mjs (see docs/architecture.md).'},
    schema: [{type: 'object', properties: {room: {enum: ROOMS.map((r) => r.name)}}, additionalProperties: false}],
    messages: {forbidden: '{{message}}'},
  },
  create(context) {
    const fromFile = path.relative(root, context.filename).split(path.sep).join('/')
    const wanted = context.options[0]?.room
    const roomsToCheck = wanted ? ROOMS.filter((r) => r.name === wanted) : ROOMS
    const check = (node, sourceNode, typeOnly) => {
      if (!sourceNode || typeof sourceNode.value !== 'string') return
      const verdict = checkImport(fromFile, resolveSpecifier(fromFile, sourceNode.value), {
        typeOnly,
        rooms: roomsToCheck,
      })
      if (verdict) context.report({node: sourceNode, messageId: 'forbidden', data: {message: verdict.message}})
    }
    const allTypes = (specifiers) =>
      specifiers.length > 0 && specifiers.every((s) => s.importKind === 'type' || s.exportKind === 'type')
    return {
      ImportDeclaration: (node) => check(node, node.source, node.importKind === 'type' || allTypes(node.specifiers)),
      ExportNamedDeclaration: (node) =>
        check(node, node.source, node.exportKind === 'type' || allTypes(node.specifiers ?? [])),
      ExportAllDeclaration: (node) => check(node, node.source, node.exportKind === 'type'),
      ImportExpression: (node) => check(node, node.source, false),
      TSImportType: (node) => check(node, node.source ?? node.argument?.literal, true),
    }
  },
}

export default {meta: {name: 'ecsx'}, rules: {rooms}}
