// Builds DOM nodes from data without ever parsing data as HTML: every string child becomes a text
// node and attributes are set with setAttribute, so a device named "<img src=x onerror=...>" is
// shown as those characters. No part of the dashboard hands data to an HTML parser.

/**
 * h('td', {class: 'num', 'data-label': 'Power'}, '12.5') -> <td class="num" data-label="Power">12.5</td>
 * Props: class, dataset (object), on<event> (function), anything else -> attribute (skipped when null/false).
 */
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value == null || value === false) continue;
    if (key === 'class') el.className = value;
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child == null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** A table cell that also carries its column name, shown as a label on phone-sized screens. */
export function cell(label, content, cls) {
  return h('td', {'data-label': label, class: cls}, content);
}

export function byId(id) {
  const el = document.getElementById(id);
  if (!el) throw new Error(`dashboard markup lacks #${id}`);
  return el;
}
