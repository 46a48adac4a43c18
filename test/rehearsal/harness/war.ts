// A minimal ZIP writer (stored entries, no compression): enough to build the
// test WARs and the agent jar the artifact-image stand-ins carry, with no JDK (`jar`) or `zip`.
import * as zlib from 'zlib';

/** The content of one test archive: path inside the archive → text or bytes. */
export interface WarContent {
  readonly [path: string]: string | Buffer;
}

/** A ZIP archive (a WAR is one) of the given files, uncompressed. */
export function zipArchive(files: WarContent): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, text] of Object.entries(files)) {
    const nameBuf = Buffer.from(name, 'utf8');
    const data = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
    const crc = zlib.crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0); // local file header
    local.writeUInt16LE(20, 4); // version needed
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(0, 8); // stored
    local.writeUInt32LE(0, 10); // time, date
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBuf.length, 26);
    local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0); // central directory header
    central.writeUInt16LE(0x031e, 4); // made by: Unix, 3.0
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(0, 10);
    central.writeUInt32LE(0, 12);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBuf.length, 28);
    central.writeUInt32LE(0, 30); // extra, comment length
    central.writeUInt32LE(0, 34); // disk, internal attributes
    central.writeUInt32LE(0o100644 * 0x10000, 38); // external attributes: regular file 0644
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBuf, data);
    centrals.push(central, nameBuf);
    offset += local.length + nameBuf.length + data.length;
  }
  const centralSize = centrals.reduce((n, b) => n + b.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(0, 4);
  end.writeUInt16LE(0, 6);
  end.writeUInt16LE(Object.keys(files).length, 8);
  end.writeUInt16LE(Object.keys(files).length, 10);
  end.writeUInt32LE(centralSize, 12);
  end.writeUInt32LE(offset, 16);
  end.writeUInt16LE(0, 20);
  return Buffer.concat([...locals, ...centrals, end]);
}

/** The marker text a test WAR's index.html carries, to recognise it in a response. */
export function warMarker(war: string): string {
  return `rehearsal WAR ${war}`;
}

/**
 * A servlet-API-neutral test WAR (static content and a JSP using only implicit
 * objects, so Tomcat 7 to 11 all serve it): `index.html` says which WAR it is,
 * `context.jsp` prints the context path Tomcat deployed it on.
 */
export function testWar(war: string): Buffer {
  return zipArchive({
    'index.html': `<!DOCTYPE html><html><body><p>${warMarker(war)}</p></body></html>\n`,
    'context.jsp': '<%@ page contentType="text/plain" %>context=[<%= request.getContextPath() %>]\n',
  });
}
