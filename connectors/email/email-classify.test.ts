import { describe, expect, it } from 'vitest';
import { classifyAutomated } from './email-classify.js';

describe('classifyAutomated (no acknowledgement for mail nobody wrote)', () => {
  it('a person writing: nothing', () => {
    expect(classifyAutomated({ from: 'Ana <ana@example.mx>', 'return-path': '<ana@example.mx>', 'content-type': 'text/plain; charset=utf-8' })).toBeUndefined();
  });

  it('Auto-Submitted (RFC 3834): auto-replied, any other keyword is auto-generated, "no" is a person', () => {
    expect(classifyAutomated({ 'auto-submitted': 'auto-replied' })).toBe('auto_replied');
    expect(classifyAutomated({ 'Auto-Submitted': 'Auto-Replied; owner-email="jefe@example.mx"' })).toBe('auto_replied');
    expect(classifyAutomated({ 'auto-submitted': 'auto-generated' })).toBe('auto_generated');
    expect(classifyAutomated({ 'auto-submitted': 'auto-notified' })).toBe('auto_generated');
    expect(classifyAutomated({ 'auto-submitted': 'no' })).toBeUndefined();
    expect(classifyAutomated({ 'auto-submitted': ' No ' })).toBeUndefined();
  });

  it('X-Autoreply and X-Autorespond are auto-replies', () => {
    expect(classifyAutomated({ 'x-autoreply': 'yes' })).toBe('auto_replied');
    expect(classifyAutomated({ 'X-Autorespond': 'Vacaciones' })).toBe('auto_replied');
  });

  it('X-Auto-Response-Suppress All, OOF or AutoReply (Exchange) suppresses; DR alone does not', () => {
    expect(classifyAutomated({ 'x-auto-response-suppress': 'All' })).toBe('auto_generated');
    expect(classifyAutomated({ 'x-auto-response-suppress': 'DR, OOF' })).toBe('auto_generated');
    expect(classifyAutomated({ 'x-auto-response-suppress': 'AutoReply' })).toBe('auto_generated');
    expect(classifyAutomated({ 'x-auto-response-suppress': 'DR' })).toBeUndefined();
  });

  it('any List-Id, List-Unsubscribe or List-Post header is list mail', () => {
    expect(classifyAutomated({ 'list-id': '<avisos.example.mx>' })).toBe('list');
    expect(classifyAutomated({ 'list-unsubscribe': '<mailto:salir@example.mx>' })).toBe('list');
    expect(classifyAutomated({ 'List-Post': '<mailto:avisos@example.mx>' })).toBe('list');
  });

  it('Precedence bulk and junk are bulk, list is list, anything else nothing', () => {
    expect(classifyAutomated({ precedence: 'bulk' })).toBe('bulk');
    expect(classifyAutomated({ precedence: 'JUNK' })).toBe('bulk');
    expect(classifyAutomated({ precedence: 'list' })).toBe('list');
    expect(classifyAutomated({ precedence: 'first-class' })).toBeUndefined();
  });

  it('a null return path or MAILER-DAEMON (return path, From or Sender) is a bounce', () => {
    expect(classifyAutomated({ 'return-path': '<>' })).toBe('bounce');
    expect(classifyAutomated({ 'return-path': '< >' })).toBe('bounce');
    expect(classifyAutomated({ 'return-path': '<MAILER-DAEMON@mx.example.mx>' })).toBe('bounce');
    expect(classifyAutomated({ from: 'Mail Delivery System <MAILER-DAEMON@mx.example.mx>' })).toBe('bounce');
    expect(classifyAutomated({ sender: 'mailer-daemon@mx.example.mx' })).toBe('bounce');
    expect(classifyAutomated({ from: 'not-a-mailer-daemon@example.mx' })).toBeUndefined();
  });

  it('multipart/report with report-type=delivery-status is a bounce; other reports are auto-generated', () => {
    expect(classifyAutomated({ 'content-type': 'multipart/report; report-type=delivery-status; boundary="x"' })).toBe('bounce');
    expect(classifyAutomated({ 'content-type': 'multipart/report; report-type="delivery-status"' })).toBe('bounce');
    expect(classifyAutomated({ 'content-type': 'multipart/report; report-type=disposition-notification' })).toBe('auto_generated');
  });

  it('a bounce wins over the Auto-Submitted it also carries; an auto-reply wins over list headers', () => {
    expect(classifyAutomated({ 'auto-submitted': 'auto-replied', 'return-path': '<>' })).toBe('bounce');
    expect(classifyAutomated({ 'auto-submitted': 'auto-replied', 'list-id': '<x.example.mx>' })).toBe('auto_replied');
  });

  it('reads every occurrence of a repeated header', () => {
    expect(classifyAutomated({ 'return-path': ['<ana@example.mx>', '<>'] })).toBe('bounce');
  });
});
