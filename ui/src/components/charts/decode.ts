/**
 * Decoding of cairn's packed metric columns (`metrics/sampled`, `metrics/series`): base64 of
 * little-endian int64 (steps, timestamps) or float64 (values). Each column lands in a typed
 * array without a JavaScript object per point; hand-written servers may send plain JSON lists,
 * which are accepted too.
 */

/** One metric of one run as parallel columns (steps and timestamps as exact-enough doubles). */
export interface Series {
  key: string;
  count: number;
  steps: Float64Array;
  timestamps: Float64Array;
  values: Float64Array;
}

/** The wire form: `{"series": {key, count, steps, timestamps, values}}`. */
export interface WireSeries {
  key: string;
  count?: number;
  steps: string | number[];
  timestamps: string | number[];
  values: string | (number | string)[];
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

export function base64ToBytes(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

function checkWidth(bytes: Uint8Array, name: string): number {
  if (bytes.byteLength % 8 !== 0) {
    throw new Error(`The ${name} column is not a whole number of 8-byte values.`);
  }
  return bytes.byteLength / 8;
}

/** Little-endian int64 → doubles (exact up to 2^53, which steps and epoch millis are). */
export function decodeInt64(text: string, name = "int64"): Float64Array {
  const bytes = base64ToBytes(text);
  const n = checkWidth(bytes, name);
  const out = new Float64Array(n);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < n; i++) {
    const lo = view.getUint32(i * 8, true);
    const hi = view.getInt32(i * 8 + 4, true);
    out[i] = hi * 4294967296 + lo;
  }
  return out;
}

/** Little-endian float64 → doubles (NaN kept). */
export function decodeFloat64(text: string, name = "float64"): Float64Array {
  const bytes = base64ToBytes(text);
  const n = checkWidth(bytes, name);
  if (LITTLE_ENDIAN) return new Float64Array(bytes.buffer, bytes.byteOffset, n);
  const out = new Float64Array(n);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < n; i++) out[i] = view.getFloat64(i * 8, true);
  return out;
}

function plainColumn(values: (number | string)[]): Float64Array {
  return Float64Array.from(values, (v) => (typeof v === "number" ? v : Number(v)));
}

export function decodeSeries(wire: WireSeries): Series {
  const steps =
    typeof wire.steps === "string" ? decodeInt64(wire.steps, "steps") : plainColumn(wire.steps);
  const timestamps =
    typeof wire.timestamps === "string"
      ? decodeInt64(wire.timestamps, "timestamps")
      : plainColumn(wire.timestamps);
  const values =
    typeof wire.values === "string"
      ? decodeFloat64(wire.values, "values")
      : plainColumn(wire.values);
  if (steps.length !== timestamps.length || steps.length !== values.length) {
    throw new Error(`Metric '${wire.key}' came back with columns of different lengths.`);
  }
  return { key: wire.key, count: values.length, steps, timestamps, values };
}

export function emptySeries(key: string): Series {
  return {
    key,
    count: 0,
    steps: new Float64Array(0),
    timestamps: new Float64Array(0),
    values: new Float64Array(0),
  };
}
