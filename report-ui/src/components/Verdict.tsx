import { verdictLabel } from '../data/format.ts';
import type { Validity } from '../data/types.ts';

export function Verdict({ valid, reasons = [] }: { valid: Validity | undefined; reasons?: string[] }) {
  const label = verdictLabel(valid);
  return (
    <span className={`verdict verdict-${label}`} title={reasons.length > 0 ? reasons.join('\n') : undefined}>
      {label}
    </span>
  );
}
