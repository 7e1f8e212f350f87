import type { TeamSettings } from '../../config/team.schema.js';
import type { UserDoc } from '../../store/user.model.js';

/**
 * The time zone a manager reads due dates in: their own working hours when config/team.json
 * names some, else their first team's business hours, else UTC.
 */
export function managerTimeZone(team: TeamSettings, user: Pick<UserDoc, 'workingHours' | 'teamIds'>): string {
  const own = user.workingHours ? team.businessHours[user.workingHours] : undefined;
  if (own) return own.timeZone;
  const firstTeam = team.teams.find((t) => t.id === user.teamIds[0]);
  const teamHours = firstTeam ? team.businessHours[firstTeam.businessHours] : undefined;
  return teamHours?.timeZone ?? 'UTC';
}

/** A team's time zone (its business hours), UTC when the team is unknown. */
export function teamTimeZone(team: TeamSettings, teamId: string): string {
  const config = team.teams.find((t) => t.id === teamId);
  return (config ? team.businessHours[config.businessHours]?.timeZone : undefined) ?? 'UTC';
}
