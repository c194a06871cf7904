/**
 * A tiny DOM toolkit for the dashboard: `h()` builds elements, `patch()` turns the live DOM into a freshly rendered
 * tree in place (children matched by `data-key`, else by position and tag), so unchanged nodes stay, CSS transitions
 * run on what changed (bars grow and shrink as a deployment rolls), and text selection and scroll survive an update.
 * Styles go through the CSSOM (the page's Content-Security-Policy forbids inline style attributes).
 */
export type Child = Node | string | number | null | undefined | false | Child[]
export type Attrs = Record<string, string | number | boolean | undefined> & {style?: never}

/** An element with attributes (`false`/`undefined` omit one), CSS properties, and children. */
export function h(tag: string, attrs: Attrs = {}, ...children: Child[]): HTMLElement {
  const el = document.createElement(tag)
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue
    el.setAttribute(name, value === true ? '' : String(value))
  }
  append(el, children)
  return el
}

/** Set CSS properties (e.g. `{width: '40%'}`) and return the element. */
export function styled<E extends HTMLElement>(el: E, props: Record<string, string>): E {
  for (const [name, value] of Object.entries(props)) el.style.setProperty(name, value)
  return el
}

function append(el: Node, children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue
    if (Array.isArray(c)) append(el, c)
    else el.appendChild(typeof c === 'object' ? c : document.createTextNode(String(c)))
  }
}

const keyOf = (n: Node): string | undefined =>
  n.nodeType === Node.ELEMENT_NODE ? ((n as Element).getAttribute('data-key') ?? undefined) : undefined

/** Make `cur` look like `next` (which is consumed). Returns the node now in the document. */
export function patch(cur: Node, next: Node): Node {
  if (cur.nodeType !== next.nodeType || cur.nodeName !== next.nodeName) {
    cur.parentNode?.replaceChild(next, cur)
    return next
  }
  if (cur.nodeType !== Node.ELEMENT_NODE) {
    if (cur.nodeValue !== next.nodeValue) cur.nodeValue = next.nodeValue
    return cur
  }
  const a = cur as HTMLElement
  const b = next as HTMLElement
  for (const attr of Array.from(a.attributes)) {
    if (attr.name !== 'style' && !b.hasAttribute(attr.name)) a.removeAttribute(attr.name)
  }
  for (const attr of Array.from(b.attributes)) {
    if (attr.name !== 'style' && a.getAttribute(attr.name) !== attr.value) a.setAttribute(attr.name, attr.value)
  }
  if (a.style.cssText !== b.style.cssText) a.style.cssText = b.style.cssText
  patchChildren(a, b)
  return a
}

function patchChildren(a: Element, b: Element): void {
  const keyed = new Map<string, ChildNode>()
  for (const c of Array.from(a.childNodes)) {
    const k = keyOf(c)
    if (k !== undefined) keyed.set(k, c)
  }
  let ref: ChildNode | null = a.firstChild
  for (const n of Array.from(b.childNodes)) {
    const k = keyOf(n)
    let match: ChildNode | null = null
    if (k !== undefined) {
      match = keyed.get(k) ?? null
      keyed.delete(k)
    } else if (ref && keyOf(ref) === undefined && ref.nodeName === n.nodeName) {
      match = ref
    }
    if (!match) {
      a.insertBefore(n, ref)
      continue
    }
    if (match === ref) ref = ref.nextSibling
    else a.insertBefore(match, ref)
    patch(match, n)
  }
  // everything from `ref` on was not matched
  while (ref) {
    const next: ChildNode | null = ref.nextSibling
    ref.remove()
    ref = next
  }
}
