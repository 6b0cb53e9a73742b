import { describe, expect, it } from 'vitest';
import type { IvrTreeInput } from './ivr.schema.js';
import { parseIvrTreeText, validateIvrTree, type IvrTreeValidation } from './validate-ivr-tree.js';

const tree = (nodes: IvrTreeInput['nodes'], extra: Partial<IvrTreeInput> = {}): IvrTreeInput => ({ name: 'Prueba', start: 'menu-principal', nodes, ...extra });

const menu = (options: { digit: string; next: string; speech?: string[] }[]) => ({ type: 'menu' as const, prompt: { text: 'Elija.' }, options });

function problemsOf(result: IvrTreeValidation) {
  if (result.ok) throw new Error('expected problems, the tree validated');
  return result.problems;
}

describe('validateIvrTree', () => {
  it('a sound tree validates, defaults filled; nodes nobody reaches are allowed', () => {
    const result = validateIvrTree(tree({ 'menu-principal': menu([{ digit: '1', next: 'fin' }]), fin: { type: 'hangup' }, huerfano: { type: 'hangup' } }));
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.tree).toMatchObject({ language: 'es-MX', voice: 'Polly.Mia', schemaVersion: 1 });
  });

  it('a next pointing to a node that does not exist, with its path', () => {
    const problems = problemsOf(validateIvrTree(tree({ 'menu-principal': menu([{ digit: '1', next: 'fin' }, { digit: '2', next: 'citas' }]), fin: { type: 'hangup' } })));
    expect(problems).toEqual([{ path: 'nodes.menu-principal.options.1.next', message: 'El nodo «menu-principal» apunta a «citas», que no existe.' }]);
  });

  it('every kind of reference is checked: start, next, onFail, open, closed, holiday', () => {
    const problems = problemsOf(
      validateIvrTree(
        tree(
          {
            horario: { type: 'hours', open: 'a', closed: 'b', holiday: 'c' },
            info: { type: 'say', prompt: { text: 'Hola.' }, next: 'd' },
            nss: { type: 'capture', field: 'nss', kind: 'nss', prompt: { text: 'NSS.' }, invalid: { text: 'No.' }, next: 'e', onFail: 'f' },
            'menu-principal': { ...menu([{ digit: '1', next: 'info' }]), onFail: 'g' },
          },
          { start: 'inicio' },
        ),
      ),
    );
    expect(problems.map((problem) => problem.path).sort()).toEqual(
      ['start', 'nodes.horario.open', 'nodes.horario.closed', 'nodes.horario.holiday', 'nodes.info.next', 'nodes.nss.next', 'nodes.nss.onFail', 'nodes.menu-principal.onFail'].sort(),
    );
    expect(problems.find((problem) => problem.path === 'start')?.message).toBe('El inicio apunta a «inicio», que no existe.');
  });

  it('the same key twice in a menu', () => {
    const problems = problemsOf(validateIvrTree(tree({ 'menu-principal': menu([{ digit: '1', next: 'fin' }, { digit: '1', next: 'fin' }]), fin: { type: 'hangup' } })));
    expect(problems).toEqual([{ path: 'nodes.menu-principal.options.1.digit', message: 'El menú «menu-principal» usa la tecla «1» más de una vez.' }]);
  });

  it('the same spoken word for two options (accents and case aside)', () => {
    const problems = problemsOf(
      validateIvrTree(tree({ 'menu-principal': menu([{ digit: '1', next: 'fin', speech: ['Trámite'] }, { digit: '2', next: 'fin', speech: ['tramite'] }]), fin: { type: 'hangup' } })),
    );
    expect(problems).toEqual([{ path: 'nodes.menu-principal.options.1.speech', message: 'En el menú «menu-principal», «tramite» elige tanto la opción 1 como la 2.' }]);
  });

  it('a folio status reading a field that no capture sets', () => {
    const problems = problemsOf(
      validateIvrTree(
        tree({
          'menu-principal': menu([{ digit: '1', next: 'estatus' }]),
          estatus: { type: 'folio_status', field: 'folio', found: { text: '{{status}}' }, notFound: { text: 'No.' } },
        }),
      ),
    );
    expect(problems).toEqual([{ path: 'nodes.estatus.field', message: 'El nodo «estatus» lee el folio del campo «folio», que ningún nodo de captura pide.' }]);
  });

  it('a voice Twilio does not have', () => {
    const problems = problemsOf(validateIvrTree(tree({ 'menu-principal': { type: 'hangup' } }, { voice: 'Robotina' })));
    expect(problems).toEqual([{ path: 'voice', message: expect.stringContaining('no es una voz de Twilio') }]);
  });

  it('schema problems come in Spanish with their path', () => {
    const problems = problemsOf(
      validateIvrTree({
        name: '',
        start: 'Menu',
        nodes: {
          a: { type: 'desconocido' },
          b: { type: 'say', prompt: { text: '' }, color: 'rojo' },
          c: { type: 'menu', prompt: { text: 'x' }, options: [{ digit: '12', next: 'b' }], maxAttempts: 9 },
          d: { type: 'dial', number: '5512345678' },
          e: { type: 'queue', queueId: 'no-es-uuid' },
          f: { type: 'hours', open: 'a' },
        },
      }),
    );
    const byPath = Object.fromEntries(problems.map((problem) => [problem.path, problem.message]));
    expect(byPath).toMatchObject({
      name: 'No puede estar vacío.',
      start: 'Identificador de nodo no válido: use minúsculas, dígitos, _ o -, empezando con una letra (máx. 64).',
      'nodes.a.type': expect.stringMatching(/^Tipo de nodo desconocido; los tipos son: menu, say, privacy, capture/),
      'nodes.b.prompt.text': 'No puede estar vacío.',
      'nodes.b': 'Campo desconocido: «color».',
      'nodes.c.options.0.digit': 'La tecla debe ser un solo carácter: 0 a 9, * o #.',
      'nodes.c.maxAttempts': 'Debe ser como máximo 5.',
      'nodes.d.number': 'El número debe ir en formato internacional E.164, p. ej. +525512345678.',
      'nodes.e.queueId': 'Debe ser un identificador UUID.',
      'nodes.f.closed': 'Falta este campo.',
    });
  });

  it('input that is not a tree at all', () => {
    expect(problemsOf(validateIvrTree(42))).toEqual([{ path: '', message: 'Se esperaba un objeto.' }]);
  });
});

describe('parseIvrTreeText', () => {
  it('JSON text is parsed then validated', () => {
    expect(parseIvrTreeText(JSON.stringify(tree({ 'menu-principal': { type: 'hangup' } }))).ok).toBe(true);
    expect(problemsOf(parseIvrTreeText(JSON.stringify(tree({ fin: { type: 'hangup' } }))))[0]?.path).toBe('start');
  });

  it('text that is not JSON is one problem, not an exception', () => {
    const problems = problemsOf(parseIvrTreeText('{ "name": "Prueba", '));
    expect(problems).toHaveLength(1);
    expect(problems[0]?.message).toMatch(/^El texto no es JSON válido/);
  });
});
