// Who is speaking, from the audio levels the browser reports for received streams. The SFU
// may announce an active speaker itself (`active_speaker`); this covers the time it does not.

/** Audio levels (0..1) below this are silence or background noise. */
export const SPEAKING_LEVEL = 0.03;
/** Someone else must be this much louder to take the stage, so it does not flicker. */
const TAKEOVER_MARGIN = 1.5;

export function pickSpeaker(levels: Map<string, number>, current: string | null): string | null {
  let loudest: string | null = null;
  let loudestLevel = SPEAKING_LEVEL;
  for (const [userId, level] of levels) {
    if (level >= loudestLevel) {
      loudest = userId;
      loudestLevel = level;
    }
  }
  const currentLevel = current === null ? 0 : (levels.get(current) ?? 0);
  if (current !== null && currentLevel >= SPEAKING_LEVEL) {
    return loudest !== null && loudestLevel > currentLevel * TAKEOVER_MARGIN ? loudest : current;
  }
  return loudest ?? current;
}
