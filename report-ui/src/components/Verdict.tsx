import { verdictLabel } from '../data/format.ts';
import type { Validity } from '../data/types.ts';

export function Verdict({ valid }: { valid: Validity | undefined }) {
  const label = verdictLabel(valid);
  return <span className={`verdict verdict-${label}`}>{label}</span>;
}
