/**
 * Which backlog probe answers for each technology: its profile's (fixtures/<tech>/profile.ts,
 * `backlog`, one module per technology here in runner/run/backlog/), and for a target without
 * moshpit's control API the official SDK's where there is one (`sdkBacklog`).
 */
import { TECHS, type Tech } from '../../techs.ts';
import { profileOf } from '../../../fixtures/technologies.ts';
import type { BacklogProbe } from './types.ts';

export const BACKLOG_PROBES = Object.fromEntries(TECHS.map((tech) => [tech, profileOf(tech).backlog])) as Record<Tech, BacklogProbe>;

export function backlogProbeFor(tech: Tech): BacklogProbe {
  return profileOf(tech).backlog;
}

/** The SDK probe for a technology whose endpoints have no control URL, if there is one. */
export function sdkBacklogProbe(tech: Tech): BacklogProbe | undefined {
  return profileOf(tech).sdkBacklog;
}
