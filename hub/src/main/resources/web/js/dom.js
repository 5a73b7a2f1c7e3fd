// Building DOM without markup strings: text always goes through textContent, so a host
// named "<img onerror=…>" is shown as those characters and never parsed as HTML.

const SVG_NS = 'http://www.w3.org/2000/svg';

function apply(node, props) {
  for (const [key, value] of Object.entries(props || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'text') node.textContent = String(value);
    else if (key === 'class') node.setAttribute('class', value);
    else if (key === 'dataset') Object.assign(node.dataset, value);
    else if (key === 'style') throw new Error('inline style attributes break the CSP; use a class');
    else if (key.startsWith('on')) throw new Error('inline handlers break the CSP; use addEventListener');
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  return node;
}

function append(node, children) {
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/** el('p', {class: 'x', text: name}) or el('div', {}, childA, 'some text', childB). */
export function el(tag, props, ...children) {
  return append(apply(document.createElement(tag), props), children);
}

/** The same for SVG elements. */
export function svg(tag, props, ...children) {
  return append(apply(document.createElementNS(SVG_NS, tag), props), children);
}

/** Sets text only when it changed, so live updates do not disturb selection or layout. */
export function setText(node, text) {
  const value = String(text);
  if (node.textContent !== value) node.textContent = value;
}

/** Sets or removes an attribute only when it changed. */
export function setAttr(node, name, value) {
  if (value === undefined || value === null || value === false) {
    if (node.hasAttribute(name)) node.removeAttribute(name);
    return;
  }
  const text = value === true ? '' : String(value);
  if (node.getAttribute(name) !== text) node.setAttribute(name, text);
}

export function byId(id) {
  const node = document.getElementById(id);
  if (!node) throw new Error(`page is missing #${id}`);
  return node;
}
