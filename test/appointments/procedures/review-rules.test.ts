import { describe, expect, it } from 'vitest';
import { deriveCaseStatus } from '../../../hub/src/appointments/procedures/case-state.js';
import { requirementSchema } from '../../../hub/src/appointments/procedures/procedure.schema.js';
import { pickReviewer } from '../../../hub/src/appointments/procedures/reviewer-assignment.js';

/** The pure parts: the draw and the status a case's documents give it. */
describe('pickReviewer', () => {
  const first = () => 0;
  const last = (n: number) => n - 1;

  it('draws among the eligible with the given random index', () => {
    expect(pickReviewer(['a', 'b', 'c'], null, first)).toBe('a');
    expect(pickReviewer(['a', 'b', 'c'], null, last)).toBe('c');
  });

  it('never the reviewer to avoid while another is eligible, whatever the draw', () => {
    for (const draw of [first, last]) {
      expect(pickReviewer(['a', 'b', 'c'], 'a', draw)).not.toBe('a');
      expect(pickReviewer(['a', 'b'], 'b', draw)).toBe('a');
    }
  });

  it('the avoided reviewer when nobody else is eligible; nobody when none is', () => {
    expect(pickReviewer(['a'], 'a', first)).toBe('a');
    expect(pickReviewer([], 'a', first)).toBeUndefined();
    expect(pickReviewer([], null, first)).toBeUndefined();
  });
});

describe('deriveCaseStatus', () => {
  const req = (id: string, required: boolean) => requirementSchema.parse({ id, name: id, required, accept: ['application/pdf'] });
  const requirements = [req('ine', true), req('factura', true), req('foto', false)];
  const docs = (entries: Record<string, 'pending_review' | 'approved' | 'rejected'>) => new Map(Object.entries(entries).map(([k, status]) => [k, { status }]));

  it('follows the required documents: missing → pending, waiting → in review, all approved → approved, one rejected → changes requested', () => {
    expect(deriveCaseStatus(requirements, docs({}), 'documents_pending')).toBe('documents_pending');
    expect(deriveCaseStatus(requirements, docs({ ine: 'approved' }), 'documents_pending')).toBe('documents_pending');
    expect(deriveCaseStatus(requirements, docs({ ine: 'approved', factura: 'pending_review' }), 'documents_pending')).toBe('in_review');
    expect(deriveCaseStatus(requirements, docs({ ine: 'approved', factura: 'approved' }), 'in_review')).toBe('approved');
    expect(deriveCaseStatus(requirements, docs({ ine: 'rejected', factura: 'pending_review' }), 'in_review')).toBe('changes_requested');
    expect(deriveCaseStatus(requirements, docs({ ine: 'rejected' }), 'in_review')).toBe('changes_requested');
  });

  it('optional documents never hold the case back; a booked or closed case keeps its status', () => {
    expect(deriveCaseStatus(requirements, docs({ ine: 'approved', factura: 'approved', foto: 'rejected' }), 'in_review')).toBe('approved');
    expect(deriveCaseStatus(requirements, docs({ ine: 'approved', factura: 'approved', foto: 'pending_review' }), 'in_review')).toBe('approved');
    expect(deriveCaseStatus([req('foto', false)], docs({}), 'documents_pending')).toBe('approved');
    expect(deriveCaseStatus(requirements, docs({ ine: 'approved', factura: 'approved' }), 'booked')).toBe('booked');
    expect(deriveCaseStatus(requirements, docs({}), 'closed')).toBe('closed');
  });
});
