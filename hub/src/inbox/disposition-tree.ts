/** Rules of a campaign's tipification tree, without I/O. */

export const MAX_DISPOSITION_DEPTH = 3;
/** Seed L6726–L6743: "tipificación 1 a 5 veces por interacción". */
export const MIN_DISPOSITIONS = 1;
export const MAX_DISPOSITIONS = 5;

export interface DispositionNode {
  id: string;
  parentId: string | null;
  active: boolean;
}

/**
 * Codes an agent may pick: active, and so is every ancestor. Deactivating a branch retires its
 * children too, while they keep their own flag for when the branch comes back.
 */
export function usableCodeIds(codes: readonly DispositionNode[]): Set<string> {
  const byId = new Map(codes.map((c) => [c.id, c]));
  const usable = new Set<string>();
  for (const code of codes) {
    let node: DispositionNode | undefined = code;
    let steps = 0;
    while (node?.active && node.parentId !== null && steps < MAX_DISPOSITION_DEPTH) {
      node = byId.get(node.parentId);
      steps += 1;
    }
    if (node?.active && node.parentId === null) usable.add(code.id);
  }
  return usable;
}
