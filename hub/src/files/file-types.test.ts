import { describe, expect, it } from 'vitest';
import { contentMatches, isPreviewable, messageContentType, resolveMimeType, servedContentType, sniffMimeType } from './file-types.js';

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
const PDF = Buffer.from('%PDF-1.7\n%âãÏÓ\n', 'latin1');

describe('file types', () => {
  it('takes the declared type, folding the names phones and browsers use', () => {
    expect(resolveMimeType('image/png', 'foto.png')).toBe('image/png');
    expect(resolveMimeType('image/jpg', 'foto.jpg')).toBe('image/jpeg');
    expect(resolveMimeType('audio/mp3', 'nota.mp3')).toBe('audio/mpeg');
    expect(resolveMimeType('text/plain; charset=utf-8', 'a.txt')).toBe('text/plain');
    expect(resolveMimeType('APPLICATION/PDF', 'a.pdf')).toBe('application/pdf');
  });

  it('falls back to the extension when the browser sends a generic type, and refuses the rest', () => {
    expect(resolveMimeType('application/octet-stream', 'Acta de nacimiento — José.PDF')).toBe('application/pdf');
    expect(resolveMimeType('application/vnd.ms-excel', 'padrón.csv')).toBe('text/csv');
    expect(resolveMimeType(undefined, 'informe.docx')).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    expect(resolveMimeType('text/html', 'pagina.html')).toBeNull();
    expect(resolveMimeType('image/svg+xml', 'logo.svg')).toBeNull();
    expect(resolveMimeType('application/x-msdownload', 'programa.exe')).toBeNull();
    expect(resolveMimeType('application/octet-stream', 'sin-extension')).toBeNull();
  });

  it('checks the first bytes against the type', () => {
    expect(contentMatches('image/png', PNG)).toBe(true);
    expect(contentMatches('application/pdf', PDF)).toBe(true);
    expect(contentMatches('image/png', PDF)).toBe(false);
    expect(contentMatches('application/pdf', Buffer.from('<html><script>alert(1)</script>'))).toBe(false);
    expect(contentMatches('image/jpeg', Buffer.from([0xff, 0xd8, 0xff, 0xe0]))).toBe(true);
    expect(contentMatches('image/webp', Buffer.from('RIFF\x10\x00\x00\x00WEBPVP8 ', 'latin1'))).toBe(true);
    expect(contentMatches('video/mp4', Buffer.from('\x00\x00\x00\x18ftypmp42', 'latin1'))).toBe(true);
    expect(contentMatches('audio/mpeg', Buffer.from('ID3\x04', 'latin1'))).toBe(true);
    expect(contentMatches('audio/mpeg', Buffer.from([0xff, 0xfb, 0x90, 0x64]))).toBe(true);
    expect(contentMatches('audio/ogg', Buffer.from('OggS\x00', 'latin1'))).toBe(true);
    expect(contentMatches('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', Buffer.from('PK\x03\x04', 'latin1'))).toBe(true);
    expect(contentMatches('text/csv', Buffer.from('nombre,folio\nJosé,DH-1\n'))).toBe(true);
    expect(contentMatches('text/plain', Buffer.from([0x4d, 0x5a, 0x00, 0x90]))).toBe(false);
  });

  it('refuses active markup behind a valid signature (polyglots), but not the XMP metadata photos carry', () => {
    expect(contentMatches('image/gif', Buffer.from('GIF89a/*\x01\x00*/=1;<script>alert(1)</script>', 'latin1'))).toBe(false);
    expect(contentMatches('image/png', Buffer.concat([PNG, Buffer.from('<svg onload=alert(1)>')]))).toBe(false);
    expect(contentMatches('text/plain', Buffer.from('  <!DOCTYPE html><p>hola'))).toBe(false);
    expect(contentMatches('text/csv', Buffer.from('folio,nota\nDH-1,"<formato> < 3 días"\n'))).toBe(true);
    const xmp = '<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"></rdf:RDF></x:xmpmeta><?xpacket end="w"?>';
    expect(contentMatches('image/jpeg', Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe1]), Buffer.from(`Exif\0\0<?xml version="1.0"?>${xmp}`)]))).toBe(true);
  });

  it('names the type the bytes announce, and serves anything not ours as opaque bytes', () => {
    expect(sniffMimeType(PNG)).toBe('image/png');
    expect(sniffMimeType(PDF)).toBe('application/pdf');
    expect(sniffMimeType(Buffer.from('nombre,folio\n'))).toBeNull();
    expect(sniffMimeType(Buffer.from('MZ\x90\x00', 'latin1'))).toBeNull();
    expect(servedContentType('image/png')).toBe('image/png');
    expect(servedContentType('text/html; charset=utf-8')).toBe('application/octet-stream');
    expect(servedContentType('image/svg+xml')).toBe('application/octet-stream');
    expect(servedContentType('message/rfc822')).toBe('message/rfc822');
    expect(isPreviewable('message/rfc822')).toBe(false);
  });

  it('previews images and PDF only, and names the message content type', () => {
    expect(isPreviewable('image/svg+xml')).toBe(false);
    expect(isPreviewable('application/octet-stream')).toBe(false);
    expect(isPreviewable('image/gif')).toBe(true);
    expect(isPreviewable('application/pdf')).toBe(true);
    expect(isPreviewable('text/plain')).toBe(false);
    expect(messageContentType('image/png')).toBe('image');
    expect(messageContentType('audio/ogg')).toBe('audio');
    expect(messageContentType('video/mp4')).toBe('video');
    expect(messageContentType('application/pdf')).toBe('file');
  });
});
