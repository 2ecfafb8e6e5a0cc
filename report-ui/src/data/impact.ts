/**
 * What a user would have seen per technology (the product brief's count): uploads and comments
 * that failed at the client (client-visible checker) next to those lost silently (acknowledged,
 * never stored; total-queue). Older results without the client-visible checker: unknown.
 */
import type { RunResult } from './types.ts';

export interface UserImpact {
  tech: string;
  uploadsFailed?: number;
  commentsFailed?: number;
  lost: number;
  text: string;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export function userImpact(run: RunResult): UserImpact {
  const failed = (flow: string) => run.flows[flow]?.checks['client-visible']?.counts.failed;
  const lost = Object.values(run.flows).reduce((n, f) => n + (f.checks['total-queue']?.counts.lost ?? 0), 0);
  const uploadsFailed = failed('uploads');
  const commentsFailed = failed('comments');
  const lostText = `${lost} lost (acknowledged, never stored)`;
  let text: string;
  if (run.status === 'failed') text = `${run.tech}: the run failed (${run.error ?? 'unknown error'})`;
  else if (uploadsFailed === undefined && commentsFailed === undefined) text = `${run.tech}: client-visible failures not measured; ${lostText}`;
  else text = `${run.tech}: a user would have seen ${plural(uploadsFailed ?? 0, 'upload')} and ${plural(commentsFailed ?? 0, 'comment')} fail; ${lostText}`;
  return { tech: run.tech, ...(uploadsFailed === undefined ? {} : { uploadsFailed }), ...(commentsFailed === undefined ? {} : { commentsFailed }), lost, text };
}
