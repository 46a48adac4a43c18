// The API server's quantity grammar (k8s.io/apimachinery resource.Quantity),
// the one every field of this library that takes a quantity uses. Internal.
//
//   <quantity>        ::= <signedNumber><suffix>
//   <number>          ::= <digits> | <digits>.<digits> | <digits>. | .<digits>
//   <suffix>          ::= <binarySI> | <decimalExponent> | <decimalSI>
//   <binarySI>        ::= Ki | Mi | Gi | Ti | Pi | Ei
//   <decimalSI>       ::= n | u | m | "" | k | M | G | T | P | E
//   <decimalExponent> ::= "e" <signedInteger> | "E" <signedInteger>

const QUANTITY = /^([+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+))(?:(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE])|[eE]([+-]?[0-9]+))?$/;

const FACTOR: { readonly [suffix: string]: number } = {
  'n': 1e-9,
  'u': 1e-6,
  'm': 1e-3,
  '': 1,
  'k': 1e3,
  'M': 1e6,
  'G': 1e9,
  'T': 1e12,
  'P': 1e15,
  'E': 1e18,
  'Ki': 2 ** 10,
  'Mi': 2 ** 20,
  'Gi': 2 ** 30,
  'Ti': 2 ** 40,
  'Pi': 2 ** 50,
  'Ei': 2 ** 60,
};

/** What a quantity is, in words, for messages. */
export const QUANTITY_RULE = 'is not a Kubernetes quantity: a number with an optional suffix (n, u, m, k, M, G, T, P, E, Ki, Mi, Gi, Ti, Pi, Ei or an exponent such as e3), e.g. "500m", "1.5Gi", "2G", "2"';

/** Whether `v` is a quantity string the API server accepts. */
export function isQuantity(v: unknown): v is string {
  return typeof v === 'string' && QUANTITY.test(v);
}

/**
 * The value of a quantity in base units (cores, bytes, objects), or undefined
 * when `q` is not a quantity string (no trimming: the API server does not trim).
 */
export function parseQuantity(q: unknown): number | undefined {
  if (typeof q !== 'string') return undefined;
  const m = QUANTITY.exec(q);
  if (!m) return undefined;
  const base = Number(m[1]);
  return m[3] !== undefined ? base * 10 ** Number(m[3]) : base * FACTOR[m[2] ?? ''];
}

/**
 * A whole number of millis written exactly, as a quantity: `1500` → `"1500m"`,
 * `2000` → `"2"`; never exponent notation (`1e+33m` is not a quantity).
 */
export function formatMillis(millis: number | bigint): string {
  const n = typeof millis === 'bigint' ? millis : BigInt(Math.round(millis));
  return n % BigInt(1000) === BigInt(0) ? (n / BigInt(1000)).toString() : `${n.toString()}m`;
}

/** `a <= b` with a tolerance for floating point noise (quantities are exact decimals). */
export function fits(a: number, b: number): boolean {
  return a <= b + Math.abs(b) * 1e-12 + 1e-12;
}
