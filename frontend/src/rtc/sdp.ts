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

const MSID = /^(a=msid:)(\S+)(.*)$/;
const SSRC_MSID = /^(a=ssrc:\d+ msid:)(\S+)(.*)$/;
const MSID_SEMANTIC = /^(a=msid-semantic:\s*WMS)(.*)$/;

/**
 * Gives local streams the names the other browser of a direct call should see (`<user id>`,
 * `<user id>:screen`, as the SFU names them); ids `rename` does not know stay as they are.
 */
export function renameStreams(sdp: string, rename: (id: string) => string | undefined): string {
  const name = (id: string) => rename(id) ?? id;
  return sdp
    .split('\r\n')
    .map((line) => {
      const stream = MSID.exec(line) ?? SSRC_MSID.exec(line);
      if (stream) {
        const [, head = '', id = '', rest = ''] = stream;
        return `${head}${name(id)}${rest}`;
      }
      const semantic = MSID_SEMANTIC.exec(line);
      if (semantic) {
        const [, head = '', ids = ''] = semantic;
        return head + ids.replace(/\S+/g, name);
      }
      return line;
    })
    .join('\r\n');
}
