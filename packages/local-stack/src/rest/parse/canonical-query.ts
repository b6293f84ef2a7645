// The canonical query string PostgREST puts in Content-Location: parameters decoded, sorted by name
// (stable), values of a repeated name joined with ",", and everything but [A-Za-z0-9-_.~]
// percent-encoded byte by byte.
/** encodeURIComponent leaves `!'()*` as they are; PostgREST escapes them too. */
function encode(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

export function canonicalQuery(search: string): string {
  const pairs = [...new URLSearchParams(search)].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const parts: string[] = [];
  for (let i = 0; i < pairs.length; ) {
    const name = pairs[i][0];
    const values: string[] = [];
    for (; i < pairs.length && pairs[i][0] === name; i++) values.push(encode(pairs[i][1]));
    parts.push(`${encode(name)}=${values.join(",")}`);
  }
  return parts.join("&");
}
