import { describe, expect, it } from 'vitest';
import { draftToInteractive, emptyInteractiveDraft, interactiveProblems, type InteractiveDraft } from './interactive-draft.js';

const keys = (draft: InteractiveDraft) => Object.fromEntries(Object.entries(interactiveProblems(draft)).map(([k, v]) => [k, v.key]));

describe('interactive reply draft', () => {
  it('sends the filled buttons with positional ids, ignoring blank slots', () => {
    const draft = { ...emptyInteractiveDraft(' ¿Confirma su cita? '), buttons: ['Sí', '', ' No '] };
    expect(keys(draft)).toEqual({});
    expect(draftToInteractive(draft)).toEqual({ text: '¿Confirma su cita?', buttons: [{ id: 'opcion-1', title: 'Sí' }, { id: 'opcion-2', title: 'No' }] });
  });

  it('asks for text and a button, and enforces WhatsApp’s lengths and distinct titles', () => {
    expect(keys(emptyInteractiveDraft())).toEqual({ text: 'options.textRequired', buttons: 'options.buttonsRequired' });
    const long = { ...emptyInteractiveDraft('x'.repeat(1025)), buttons: ['Confirmar mi cita ahora', 'sí', 'Sí'] };
    expect(keys(long)).toEqual({ text: 'options.tooLong', 'button.0': 'options.tooLong', 'button.2': 'options.duplicate' });
    expect(interactiveProblems(long)['button.0']?.values).toEqual({ max: 20 });
  });

  it('builds one list section behind the button, titled by the button unless given', () => {
    const draft: InteractiveDraft = {
      ...emptyInteractiveDraft('Elija el trámite'),
      mode: 'list',
      listButton: 'Ver trámites',
      rows: [
        { title: 'Pasaporte', description: 'Primera vez o renovación' },
        { title: '', description: '' },
        { title: 'Licencia', description: '' },
      ],
    };
    expect(keys(draft)).toEqual({});
    expect(draftToInteractive(draft)).toEqual({
      text: 'Elija el trámite',
      list: { button: 'Ver trámites', sections: [{ title: 'Ver trámites', rows: [{ id: 'opcion-1', title: 'Pasaporte', description: 'Primera vez o renovación' }, { id: 'opcion-2', title: 'Licencia' }] }] },
    });
    expect(draftToInteractive({ ...draft, sectionTitle: 'Trámites' }).list?.sections[0]?.title).toBe('Trámites');
  });

  it('checks the list: its button, at most ten rows, row titles of 24 and descriptions of 72', () => {
    const base: InteractiveDraft = { ...emptyInteractiveDraft('Elija'), mode: 'list', rows: [{ title: '', description: 'sin título' }] };
    expect(keys(base)).toEqual({ listButton: 'options.listButtonRequired', rows: 'options.rowsRequired', 'row.0': 'options.rowTitleRequired' });
    const many = { ...base, listButton: 'Ver', rows: Array.from({ length: 11 }, (_, i) => ({ title: `Opción ${i}`, description: '' })) };
    expect(keys(many)).toEqual({ rows: 'options.tooManyRows' });
    const long = { ...base, listButton: 'Ver', rows: [{ title: 'x'.repeat(25), description: 'y'.repeat(73) }] };
    expect(keys(long)).toEqual({ 'row.0': 'options.tooLong', 'rowDescription.0': 'options.tooLong' });
  });
});
