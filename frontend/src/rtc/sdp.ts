// SDP rewriting the browser needs to talk to the SFU.

const EXTMAP = /^a=extmap:(\d+)(\/\w+)?\s+(\S+)(.*)$/;
/** One-byte RTP header extensions have ids 1 to 14. */
const MAX_ID = 14;

/**
 * Makes every header extension id mean one thing across the whole SDP. The SFU (aiortc) numbers
 * extensions its own way in the sections it offers; Chrome numbers the sections it adds in
 * its own offers its way, and then refuses the offer ("BUNDLE group contains a codec
 * collision for header extension"). The first section that uses a URI fixes its id; a later
 * section's URI whose id is taken by another URI gets a free id.
 */
export function alignHeaderExtensions(sdp: string): string {
  const lines = sdp.split('\r\n');
  const idOf = new Map<string, number>();
  const uriOf = new Map<number, string>();
  const free = () => {
    for (let id = 1; id <= MAX_ID; id++) {
      if (!uriOf.has(id)) {
        return id;
      }
    }
    return null;
  };
  const out: string[] = [];
  for (const line of lines) {
    const match = EXTMAP.exec(line);
    if (!match) {
      out.push(line);
      continue;
    }
    const [, idText = '', direction = '', uri = '', rest = ''] = match;
    let id = idOf.get(uri);
    if (id === undefined) {
      const wanted = Number(idText);
      id = uriOf.has(wanted) ? (free() ?? undefined) : wanted;
      if (id === undefined) {
        continue; // no id left: leave this extension out
      }
      idOf.set(uri, id);
      uriOf.set(id, uri);
    }
    out.push(`a=extmap:${id}${direction} ${uri}${rest}`);
  }
  return out.join('\r\n');
}
