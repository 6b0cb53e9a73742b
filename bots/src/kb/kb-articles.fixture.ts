import type { KbArticle } from '../engine.contract.js';

/** A small Spanish knowledge base for the kb/ and engine/ tests. */
export const kbArticles: KbArticle[] = [
  {
    id: 'kb-acta',
    title: 'Copia certificada de acta de nacimiento',
    topic: 'registro civil',
    tags: ['acta', 'nacimiento', 'copia'],
    body: [
      'El acta de nacimiento es el documento que acredita la identidad y la filiación de una persona.',
      'Puede obtener una copia certificada en línea con su CURP. El costo varía por entidad federativa y se paga con tarjeta o en ventanilla bancaria.',
      'Si su acta tiene errores, solicite una aclaración administrativa en la oficialía donde se registró.',
    ].join('\n\n'),
  },
  {
    id: 'kb-pension',
    title: 'Pensión por cesantía en edad avanzada',
    topic: 'seguridad social',
    tags: ['pensión', 'jubilación', 'semanas cotizadas'],
    body: [
      'La pensión por cesantía se otorga a partir de los 60 años a quien quedó sin trabajo y cumple las semanas cotizadas que marca la ley.',
      'Para solicitarla agende una cita en su Unidad de Medicina Familiar o subdelegación con su NSS, identificación oficial y estado de cuenta.',
    ].join('\n\n'),
  },
  {
    id: 'kb-predial',
    title: 'Pago del impuesto predial',
    topic: 'tesorería',
    tags: ['predial', 'impuestos', 'descuento'],
    body: [
      'El impuesto predial se paga cada año por la propiedad de un inmueble.',
      'En enero y febrero hay descuento por pago anticipado del año completo. Las personas adultas mayores y con discapacidad tienen un descuento adicional presentando su credencial.',
    ].join('\n\n'),
  },
];
