// Which strings are IP addresses, by the rules of the parser Emissary's Python uses (`ipaddress.ip_address`): IPv4 as
// four decimal octets without leading zeros; IPv6 with at most one `::`, hex groups of up to four digits, an optional
// trailing IPv4 part and an optional `%zone`.

const OCTET = /^(0|[1-9]\d{0,2})$/;
const HEX_GROUP = /^[0-9a-fA-F]{1,4}$/;

export function isIpv4(text: string): boolean {
  const octets = text.split('.');
  return octets.length === 4 && octets.every((octet) => OCTET.test(octet) && Number(octet) <= 255);
}

export function isIpv6(text: string): boolean {
  const percent = text.indexOf('%');
  if (percent >= 0) {
    const zone = text.slice(percent + 1);
    if (zone === '' || zone.includes('%')) return false;
    text = text.slice(0, percent);
  }
  const parts = text.split(':');
  if (parts.length < 3) return false;
  // A dotted tail is an IPv4 address standing for the last two groups.
  if (parts[parts.length - 1]!.includes('.')) {
    if (!isIpv4(parts.pop()!)) return false;
    parts.push('0', '0');
  }
  if (parts.length > 9) return false;
  const inner = parts.slice(1, -1).map((part, i) => (part === '' ? i + 1 : -1)).filter((i) => i >= 0);
  if (inner.length > 1) return false;
  let high = parts.length;
  let low = 0;
  if (inner.length === 1) {
    // `::` stands for at least one group; a leading or trailing `:` is only allowed as part of it.
    high = inner[0]!;
    low = parts.length - high - 1;
    if (parts[0] === '' && --high > 0) return false;
    if (parts[parts.length - 1] === '' && --low > 0) return false;
    if (8 - (high + low) < 1) return false;
  } else if (parts.length !== 8 || parts[0] === '' || parts[parts.length - 1] === '') {
    return false;
  }
  const groups = [...parts.slice(0, high), ...(low > 0 ? parts.slice(-low) : [])];
  return groups.every((group) => HEX_GROUP.test(group));
}

export function isIpAddress(text: string): boolean {
  return isIpv4(text) || isIpv6(text);
}
