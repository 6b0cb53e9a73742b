import { h, uid } from './dom.js';

type Control = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;

export interface Field<C extends Control = Control> {
  control: C;
  element: HTMLElement;
  value(): string;
  /** Shows (or clears) the error under the field, tied to it with aria-describedby and aria-invalid. */
  setError(message: string | null): void;
}

interface FieldOptions {
  label: string;
  required?: boolean;
  /** Extra description (a hint) read with the field. */
  hint?: string;
}

function wrap<C extends Control>(control: C, options: FieldOptions): Field<C> {
  const error = h('p', { id: uid('error'), class: 'vw-field-error' });
  const hint = options.hint ? h('p', { id: uid('hint'), class: 'vw-muted vw-field-hint' }, options.hint) : null;
  control.id = uid('field');
  if (options.required) {
    control.required = true;
    control.setAttribute('aria-required', 'true');
  }
  const describe = (withError: boolean) => {
    const ids = [hint?.id, withError ? error.id : undefined].filter((id): id is string => Boolean(id));
    if (ids.length) control.setAttribute('aria-describedby', ids.join(' '));
    else control.removeAttribute('aria-describedby');
  };
  describe(false);
  // The mark is decoration (aria-hidden): `required` already tells assistive technology.
  const label = h('label', { for: control.id }, options.label, options.required ? h('span', { class: 'vw-req', 'aria-hidden': 'true' }, ' *') : null);
  const element = h('div', { class: 'vw-field' }, label, hint, control, error);
  return {
    control,
    element,
    value: () => control.value.trim(),
    setError(message) {
      error.textContent = message ?? '';
      if (message) control.setAttribute('aria-invalid', 'true');
      else control.removeAttribute('aria-invalid');
      describe(Boolean(message));
    },
  };
}

export function inputField(options: FieldOptions & { type?: string; autocomplete?: string; maxLength?: number; inputMode?: string }): Field<HTMLInputElement> {
  const input = h('input', { type: options.type ?? 'text', autocomplete: options.autocomplete, maxlength: options.maxLength, inputmode: options.inputMode });
  return wrap(input, options);
}

export function textareaField(options: FieldOptions & { rows?: number; maxLength?: number }): Field<HTMLTextAreaElement> {
  return wrap(h('textarea', { rows: options.rows ?? 4, maxlength: options.maxLength }), options);
}

export function selectField(options: FieldOptions & { placeholder: string; choices: { value: string; label: string }[] }): Field<HTMLSelectElement> {
  const select = h('select', {}, h('option', { value: '' }, options.placeholder), ...options.choices.map((c) => h('option', { value: c.value }, c.label)));
  return wrap(select, options);
}

/** A group of radio buttons in a fieldset whose legend is the question (WCAG 1.3.1). */
export function radioGroup(legend: string, name: string, choices: { value: string; label: string }[]): { element: HTMLFieldSetElement; value(): string | null } {
  const group = uid(name);
  const inputs = choices.map((choice) => h('input', { type: 'radio', name: group, value: choice.value }));
  const element = h(
    'fieldset',
    {},
    h('legend', {}, legend),
    h('div', { class: 'vw-choices' }, ...choices.map((choice, i) => h('label', { class: 'vw-choice' }, inputs[i] ?? null, choice.label))),
  );
  return { element, value: () => inputs.find((input) => input.checked)?.value ?? null };
}

/** Focuses the first field with an error (after a failed submit) so the visitor lands on it. */
export function focusFirstError(fields: Field[]): void {
  fields.find((f) => f.control.getAttribute('aria-invalid') === 'true')?.control.focus();
}
