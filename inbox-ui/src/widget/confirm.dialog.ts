import { h, uid } from './dom.js';

/**
 * A yes/no question in a native modal <dialog> (focus trapped, Escape = no, focus returns to the
 * button that opened it). The safe answer comes first and has focus.
 */
export function confirmDialog(parent: HTMLElement, texts: { title: string; body: string; yes: string; no: string }): Promise<boolean> {
  const titleId = uid('dialog-title');
  const bodyId = uid('dialog-body');
  const no = h('button', { type: 'button', class: 'vw-btn vw-btn-secondary', autofocus: true }, texts.no);
  const yes = h('button', { type: 'button', class: 'vw-btn' }, texts.yes);
  const dialog = h('dialog', { class: 'vw-dialog', 'aria-labelledby': titleId, 'aria-describedby': bodyId }, h('h3', { id: titleId }, texts.title), h('p', { id: bodyId }, texts.body), h('div', { class: 'vw-actions' }, no, yes));
  parent.append(dialog);
  return new Promise((resolve) => {
    let answer = false;
    yes.addEventListener('click', () => {
      answer = true;
      dialog.close();
    });
    no.addEventListener('click', () => dialog.close());
    dialog.addEventListener('close', () => {
      dialog.remove();
      resolve(answer);
    });
    dialog.showModal();
    no.focus();
  });
}
