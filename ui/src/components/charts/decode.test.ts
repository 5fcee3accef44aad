import { decodeFloat64, decodeInt64, decodeSeries } from "./decode";

function b64(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes));
}

function int64le(values: bigint[]): string {
  const buf = new DataView(new ArrayBuffer(values.length * 8));
  values.forEach((v, i) => buf.setBigInt64(i * 8, v, true));
  return b64(new Uint8Array(buf.buffer));
}

function float64le(values: number[]): string {
  const buf = new DataView(new ArrayBuffer(values.length * 8));
  values.forEach((v, i) => buf.setFloat64(i * 8, v, true));
  return b64(new Uint8Array(buf.buffer));
}

describe("column decoding", () => {
  it("decodes little-endian int64, including negatives and epoch milliseconds", () => {
    const out = decodeInt64(int64le([0n, 1n, -5n, 1_700_000_000_123n, 2n ** 40n]));
    expect(Array.from(out)).toEqual([0, 1, -5, 1_700_000_000_123, 2 ** 40]);
  });

  it("decodes float64 with NaN and the largest double", () => {
    const out = decodeFloat64(float64le([1.5, NaN, -0.25, 1.7976931348623157e308]));
    expect(out[0]).toBe(1.5);
    expect(Number.isNaN(out[1])).toBe(true);
    expect(out[2]).toBe(-0.25);
    expect(out[3]).toBe(1.7976931348623157e308);
  });

  it("matches Python's base64 of numpy '<i8' [1, 2, 3]", () => {
    // base64.b64encode(np.array([1, 2, 3], "<i8").tobytes())
    expect(Array.from(decodeInt64("AQAAAAAAAAACAAAAAAAAAAMAAAAAAAAA"))).toEqual([1, 2, 3]);
  });

  it("rejects a column that is not whole 8-byte values", () => {
    expect(() => decodeInt64(btoa("abc"))).toThrow(/8-byte/);
  });

  it("decodes a wire series, packed or as plain lists", () => {
    const packed = decodeSeries({
      key: "loss",
      count: 2,
      steps: int64le([0n, 10n]),
      timestamps: int64le([1000n, 2000n]),
      values: float64le([0.5, 0.25]),
    });
    expect(packed.count).toBe(2);
    expect(Array.from(packed.steps)).toEqual([0, 10]);
    expect(Array.from(packed.values)).toEqual([0.5, 0.25]);

    const plain = decodeSeries({ key: "acc", steps: [1], timestamps: [5], values: ["NaN"] });
    expect(plain.count).toBe(1);
    expect(Number.isNaN(plain.values[0])).toBe(true);
  });

  it("refuses columns of different lengths", () => {
    expect(() => decodeSeries({ key: "x", steps: [1, 2], timestamps: [1], values: [1] })).toThrow(
      /different lengths/,
    );
  });
});
